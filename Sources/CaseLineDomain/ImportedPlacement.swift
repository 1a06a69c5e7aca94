/// Where an imported case or task counts (CLP1.md §10.8), as a household does (`Household.placement`): the
/// successor its file named when its legacy commune was split in 2025, else its commune as filed (a legacy one
/// counting under its primary successor). Scope, `CASE LIST` / `TASK LIST commune=` follow it.
extension CaseFile {
    public var placement: String { imported?.successor ?? commune }
}

extension WorkTask {
    public var placement: String { imported?.successor ?? commune }
}
