public import CaseLineDomain

/// The rule both stores apply when a target is saved (`Store.saveTarget`), decided in one place: a new target
/// is written at revision 1 and only without `expectedRevision`; one already set for its unit, year, indicator
/// and kind is replaced only against its revision.
public enum TargetRevision {
    /// The revision to write, or the refusal: `ALREADY-EXISTS target=TG-n` (one is set and no revision was
    /// given), `CONFLICT current=M` (a stale revision), `NOT-FOUND` (a revision given and none is set).
    public static func next(existing: Target?, expectedRevision: Int64?, for target: Target) throws -> Int64 {
        guard let existing else {
            if let expectedRevision {
                throw DomainError(
                    .notFound, "no target to replace at revision \(expectedRevision): leave rev= out to set one")
            }
            return 1
        }
        guard let expectedRevision else {
            throw DomainError(
                .alreadyExists,
                "\(existing.id ?? "") already sets \(target.indicator.rawValue) (\(target.kind.rawValue)) for "
                    + "\(target.unit) in \(target.year): give its rev= to replace it",
                details: [("target", existing.id ?? "")])
        }
        guard expectedRevision == existing.revision else {
            throw DomainError(
                .conflict, "\(existing.id ?? "") is at revision \(existing.revision)",
                details: [("current", String(existing.revision))])
        }
        return existing.revision + 1
    }
}
