import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Crypto
import Foundation
import NIOConcurrencyHelpers

/// What the organisation commands share: dates in the server's zone, paging, unit and scope checks.
extension ServerEnvironment {
    static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    /// Today's date in the server's zone, `YYYY-MM-DD`.
    func today() -> String { Self.day(clock()) }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }()

    /// The day last asked for, with its bounds: nearly every request asks for today, and working it out
    /// through the calendar cost more than some whole reads (perf, 2026-11-26).
    private static let lastDay = NIOLockedValueBox<(days: Range<Date>, text: String)?>(nil)

    static func day(_ date: Date) -> String {
        if let last = lastDay.withLockedValue({ $0 }), last.days.contains(date) { return last.text }
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let text = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        let start = calendar.startOfDay(for: date)
        if let end = calendar.date(byAdding: .day, value: 1, to: start), start <= date, date < end {
            lastDay.withLockedValue { $0 = (start..<end, text) }
        }
        return text
    }

    /// The first instant of a day in the server's zone.
    static func startOfDay(_ day: String) -> Date? {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: day)
    }

    /// A unit named in a request: `NOT-FOUND` when it does not exist in that edition.
    func unit(_ ref: UnitRef) throws -> AdminUnit {
        guard let unit = units.unit(ref) else { throw DomainError(.notFound, "no unit \(ref)") }
        return unit
    }

    /// A 2025 commune or province named where only current units may be (COMMITTEE, ASSIGNMENT …).
    func currentUnit(_ ref: UnitRef, levels: Set<UnitLevel>) throws -> AdminUnit {
        let unit = try unit(ref)
        if unit.ref.edition == .legacy {
            let successor = units.current(unit.ref).map { " — use its successor \($0.ref.code) (\($0.name))" } ?? ""
            throw DomainError(.invalid, "\(unit.name) (\(unit.ref)) is a legacy unit\(successor)")
        }
        guard levels.contains(unit.level) else {
            throw DomainError(
                .invalid,
                "\(unit.name) is a \(unit.level.rawValue); expected a \(levels.map(\.rawValue).sorted().joined(separator: " or "))"
            )
        }
        return unit
    }

    /// The `commune=` and `province=` filters of TASK, HOUSEHOLD and CASE LIST, each checked against the
    /// caller's scope. A current commune also matches records filed under its legacy predecessors.
    func listFilter(_ input: CommandInput, _ session: SessionState) throws -> ListFilter {
        var filter = ListFilter()
        if let ref = input[Common.commune] {
            let unit = try unit(ref)
            guard unit.level == .commune, let current = units.current(unit.ref) else {
                throw DomainError(.invalid, "\(unit.name) is not a commune")
            }
            try requireReach(session, input.name, .unit(current.ref))
            filter.communes = Set([current.ref.code] + units.lineage(current.ref).map { "legacy:\($0.legacyCode)" })
            filter.commune = current.ref.code
        }
        if let ref = input[Common.province] {
            if ref.edition == .legacy {
                // A pre-2025 province: the records filed under the legacy communes it contained.
                let unit = try unit(ref)
                guard unit.level == .province else { throw DomainError(.invalid, "\(unit.name) is not a province") }
                filter.restrict(to: try legacyCommunes(of: unit, input, session))
            } else {
                let unit = try currentUnit(ref, levels: [.province])
                try requireReach(session, input.name, .unit(unit.ref))
                filter.province = unit.ref.code
            }
        }
        if let ref = input[Common.district] {
            // Districts exist only in the legacy edition (the tier was abolished on 1 July 2025).
            let unit = try unit(ref)
            guard unit.ref.edition == .legacy, unit.level == .district else {
                throw DomainError(
                    .invalid,
                    "\(unit.name) (\(unit.ref)) is not a legacy district: districts are legacy:CODE (3 digits)")
            }
            filter.restrict(to: try legacyCommunes(of: unit, input, session))
        }
        return filter
    }

    /// The legacy communes a legacy province or district contained, as records store them (`legacy:CODE`),
    /// those in the caller's scope only; `OUT-OF-SCOPE` when none is.
    func legacyCommunes(of unit: AdminUnit, _ input: CommandInput, _ session: SessionState) throws -> Set<String> {
        let communes = legacyCommunes(of: unit)
        let reachable = communes.filter { reaches(session, input.name, .unit($0.ref)) }
        guard !reachable.isEmpty else { throw DomainError(.outOfScope, "\(unit.name) is outside your scope") }
        return Set(reachable.map(\.ref.description))
    }

    /// Every legacy commune a legacy province or district contained.
    func legacyCommunes(of unit: AdminUnit) -> [AdminUnit] {
        let province = unit.level == .province ? unit.ref : (unit.provinceRef ?? unit.ref)
        return units.list(UnitDirectory.Filter(edition: .legacy, province: province)).filter {
            $0.level == .commune && (unit.level == .province || $0.parent == unit.ref.code)
        }
    }

    /// The access policy's decision for one target (role × command × scope); nothing else decides access.
    func reaches(_ session: SessionState, _ command: String, _ target: Placement) -> Bool {
        guard let user = session.user else { return false }
        return policy.permits(user, command, on: target, units: units)
    }

    /// `OUT-OF-SCOPE` unless the policy lets the caller reach the target with this command.
    func requireReach(_ session: SessionState, _ command: String, _ target: Placement) throws {
        guard reaches(session, command, target) else {
            let what: String =
                switch target {
                case .unit(let ref): ref.description
                case .scope(let scope): scope.description
                case .everywhere: "that"
                }
            throw DomainError(.outOfScope, "\(what) is outside your scope (\(session.user?.scope.description ?? "-"))")
        }
    }
}

struct ListFilter {
    /// Commune references to read (nil: every commune).
    var communes: Set<String>?
    /// A 2025 province the records' communes must lie in.
    var province: String?
    /// The 2025 commune of `commune=`: `communes` holds every legacy predecessor of it, split ones included;
    /// a household, case or task must also count under it (`counts`).
    var commune: String?

    /// Narrows the communes to these (intersecting any filter already set).
    mutating func restrict(to set: Set<String>) {
        communes = communes.map { $0.intersection(set) } ?? set
    }

    func matches(_ commune: String, _ units: UnitDirectory) -> Bool {
        province.map { units.currentProvince(of: UnitRef(stored: commune)) == $0 } ?? true
    }

    /// Whether a household counts under the 2025 commune asked for (§10.8): a split legacy commune's
    /// household (or imported case or task) under its successor only, any other legacy record under its
    /// commune's primary successor.
    func counts(_ household: Household, _ units: UnitDirectory) -> Bool {
        counts(placement: household.placement, units)
    }

    /// The same for any record's placement (an imported case's or task's successor, else its commune).
    func counts(placement: String, _ units: UnitDirectory) -> Bool {
        commune.map { units.current(UnitRef(stored: placement))?.ref.code == $0 } ?? true
    }
}

enum Paging {
    static func window(_ input: CommandInput) -> (limit: Int, offset: Int) {
        (input[Common.limit] ?? 100, input[Common.offset] ?? 0)
    }

    /// The page of `items` the request asked for, its records, then the PAGE record.
    static func page<T>(_ items: [T], _ input: CommandInput, _ render: (T) -> Record) -> [Record] {
        let (limit, offset) = window(input)
        let slice = items.dropFirst(offset).prefix(limit)
        return slice.map(render) + [
            Record(
                "PAGE",
                [
                    Field("offset", String(offset)), Field("limit", String(limit)),
                    Field("returned", String(slice.count)), Field("total", String(items.count)),
                ])
        ]
    }

    /// `2 units`, `1 unit`, `2 of 15 units`: `noun` is plural, its first word loses its `s` for one.
    static func summary(_ records: [Record], _ noun: String) -> String {
        guard let page = records.last, page.type == "PAGE" else { return "\(records.count) \(noun)" }
        let returned = page.fields.first { $0.key == "returned" }?.value ?? "0"
        let total = page.fields.first { $0.key == "total" }?.value ?? "0"
        var words = noun.split(separator: " ", maxSplits: 1).map(String.init)
        if total == "1", words[0].hasSuffix("s") { words[0].removeLast() }
        let counted = words.joined(separator: " ")
        return returned == total ? "\(total) \(counted)" : "\(returned) of \(total) \(counted)"
    }
}

/// Idempotency keys (CLP1.md §7.2): the claim a creating command stores with its entity, and the check
/// that runs before the command.
enum Idempotency {
    static let memory: TimeInterval = 24 * 3600

    static func claim(_ input: CommandInput, _ session: SessionState) -> IdempotencyClaim? {
        let command = input.command
        guard let key = input[Common.key], let login = session.user?.login else { return nil }
        var material = command.name
        for argument in command.arguments { material += "\u{0}a" + argument }
        for (name, value) in command.options.sorted(by: { $0.key < $1.key }) where name != "key" {
            material += "\u{0}o" + name + "=" + value
        }
        let digest = Hex.string(SHA256.hash(data: Data(material.utf8)))
        return IdempotencyClaim(login: login, key: key, fingerprint: digest)
    }

    /// The id of the entity of this kind an earlier request with the same key created (`T-4` for kind
    /// `task`), nil when the key is new; `IDEMPOTENCY-MISMATCH` when the key came with a different request.
    static func earlier(_ claim: IdempotencyClaim?, kind: String, env: ServerEnvironment) async throws -> String? {
        guard let entity = try await earlierEntity(claim, env: env), entity.hasPrefix(kind + ":") else { return nil }
        return String(entity.dropFirst(kind.count + 1))
    }

    static func earlierEntity(_ claim: IdempotencyClaim?, env: ServerEnvironment) async throws -> String? {
        guard let claim,
            let record = try await env.store.idempotencyRecord(login: claim.login, key: claim.key, maxAge: memory)
        else { return nil }
        guard record.fingerprint == claim.fingerprint else {
            throw DomainError(
                .idempotencyMismatch, "key \(claim.key) was already used with a different request")
        }
        return record.entity
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
