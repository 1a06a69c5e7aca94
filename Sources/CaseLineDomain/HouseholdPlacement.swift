/// Where a household counts (CLP1.md §10.8): the unit its scope, its writers, "Personal data" and `HOUSEHOLD
/// LIST commune=` follow.
extension Household {
    /// The household's `successor` (a 2025 commune) when it has one — a household of a legacy commune split in
    /// 2025, imported with the part it went to — else its commune as filed, a legacy one counting under its
    /// primary successor (`UnitDirectory.current`). In the stored form `UnitRef(stored:)` reads.
    public var placement: String { successor ?? commune }

    /// The 2025 commune the household counts under, nil when its unit is unknown.
    public func currentCommune(_ units: UnitDirectory) -> String? {
        units.current(UnitRef(stored: placement))?.ref.code
    }
}
