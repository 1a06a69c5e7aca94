/// What one `WATCH` asks for (CLP1.md §10.6): every given filter must match.
public struct EventFilter: Sendable, Hashable, CustomStringConvertible {
    /// `mine=yes`: the watcher's login, matched against the event's concerns.
    public var mine: String?
    public var commune: String?
    public var province: String?
    public var caseID: String?

    public init(mine: String? = nil, commune: String? = nil, province: String? = nil, caseID: String? = nil) {
        self.mine = mine
        self.commune = commune
        self.province = province
        self.caseID = caseID
    }

    public func matches(_ draft: EventDraft) -> Bool {
        if let mine, !draft.concerns.contains(mine) { return false }
        if let commune, draft.commune != commune { return false }
        if let province, draft.province != province { return false }
        if let caseID, draft["case"] != caseID { return false }
        return true
    }

    /// The wire form of the `WATCHING` record's `filter` key: `mine,commune:02014`, or `all`.
    public var description: String {
        let parts = [
            mine.map { _ in "mine" }, commune.map { "commune:\($0)" }, province.map { "province:\($0)" },
            caseID.map { "case:\($0)" },
        ].compactMap { $0 }
        return parts.isEmpty ? "all" : parts.joined(separator: ",")
    }
}

/// Who may receive an event at all, whatever they watch: nobody hears of a unit outside their scope, and
/// account locks reach only the admins responsible for the account.
public enum EventVisibility {
    public static func visible(_ draft: EventDraft, to user: User, units: UnitDirectory) -> Bool {
        if draft.type == .accountLocked && user.role != .admin { return false }
        if let commune = draft.commune { return units.scope(user.scope, contains: UnitRef(.current, commune)) }
        if let province = draft.province { return units.scope(user.scope, contains: UnitRef(.current, province)) }
        return user.scope == .national
    }
}
