/// Which record keys are numbers and which are yes/no flags, per record type, as CLP1.md §11 describes them;
/// JSON output types those values (numbers as numbers, flags as booleans) and leaves every other value a
/// string (codes with leading zeros, ids, `K/N` steps). A test reads §11 and checks this table against it, so
/// the two cannot drift apart.
public enum RecordSchema {
    public enum ValueType: String, Sendable, Equatable {
        case number, boolean
    }

    public static let types: [String: [String: ValueType]] = [
        "GREETING": numbers("max-line", "max-literal", "max-command", "max-inflight", "login-timeout", "idle-timeout"),
        "SESSION": booleans("must-change-password"),
        "LIMITS": numbers(
            "max-line", "max-literal", "max-command", "max-inflight", "idle-timeout", "sessions", "sessions-per-user",
            "max-watches"),
        "HELP": booleans("before-login", "allowed"),
        "PARAM": numbers("position", "max", "min").merging(booleans("required", "secret")) { a, _ in a },
        "USER": numbers("failed-logins", "rev").merging(booleans("must-change-password")) { a, _ in a },
        "UNIT": numbers("lat", "lon", "area-km2", "children"),
        "LINEAGE": booleans("split", "primary"),
        "WORK-COUNT": numbers("open-tasks", "overdue-tasks", "open-cases", "pending-cases", "vacant-communes"),
        "COMMITTEE": numbers("members", "rev"),
        "ASSIGNMENT": numbers("rev"),
        "VACANT": numbers("supports"),
        "PAGE": numbers("offset", "limit", "returned", "total"),
        "WATCHING": numbers("since", "head"),
        "EVENT": numbers("seq", "round", "step", "steps"),
        "AUDIT": numbers("seq"),
        "VERIFY": numbers("records", "first-broken"),
        "TASK": numbers("comments", "rev", "imported-line").merging(booleans("overdue")) { a, _ in a },
        "HOUSEHOLD": numbers("size", "class-year", "rev", "imported-line").merging(booleans("masked")) { a, _ in a },
        "PERSON": booleans("masked", "minority", "social-allowance", "merit"),
        "ASSESSMENT": numbers("year", "income", "income-line", "deprivations"),
        "STANDARD": numbers("from", "through", "rural-line", "urban-line", "poor-deprivations"),
        "CASE": numbers("round", "amount", "rev", "year", "persons", "imported-line"),
        "STEP": numbers("round", "n"),
        "CHAIN": numbers("rev"),
        "DELEGATION": numbers("rev"),
        "PENDING": numbers("amount"),
        "PENDING-COUNT": numbers("count"),
        "REVIEW": numbers("review-year", "list-year", "households", "surveyed", "complaints-open", "rev").merging(
            booleans("opinion-agrees")
        ) { a, _ in a },
        "REVIEW-HOUSEHOLD": numbers("rounds", "score-a", "score-b"),
        "REVIEW-MEETING": numbers("attendees", "agreeing"),
        "CERTIFICATE": numbers("list-year"),
        "REVIEW-ASSESSMENT": numbers("review-year", "list-year", "score-a", "score-b", "persons").merging(
            booleans("in-force")
        ) { a, _ in a },
        "IMPORT": numbers("households", "created", "unchanged", "members", "listed", "surveyed", "warnings").merging(
            booleans("dry-run")
        ) { a, _ in a },
        "IMPORT-WARNING": numbers("line", "column"),
        "FLOWS": flowNumbers.merging(booleans("balanced")) { a, _ in a },
        "TOTAL": numbers("year", "households", "persons"),
        "TARGET": numbers("year", "value", "min", "max", "rev"),
        "REPORT": numbers("communes"),
        "POVERTY-YEAR": povertyNumbers.merging(
            numbers("poor-insured", "poor-insured-share", "near-poor-insured", "near-poor-insured-share")
        ) { a, _ in a },
        "POVERTY-COMMUNE": povertyNumbers,
        "POVERTY-GROUP": numbers(
            "year", "poor", "poor-persons", "near-poor", "near-poor-persons", "poor-share", "near-poor-share"),
        "TARGET-RESULT": numbers("year", "value", "min", "max", "actual", "margin").merging(
            booleans("met", "within")
        ) { a, _ in a },
        "WORK-TASKS": numbers("open", "overdue", "done"),
        "WORK-CASES": numbers("pending", "waiting-over-7", "waiting-over-30"),
        "ALLOCATION": numbers("year", "amount", "disbursed", "carried-out", "available", "overrides"),
        "DISBURSEMENT": numbers("amount"),
        "MONEY": numbers(
            "allocated", "carried-in", "disbursed-before", "disbursed", "carried-out", "remaining", "rate", "overrides"),
        "OUTPUT": numbers(
            "cases", "households", "amount", "persons", "poor", "near-poor", "escaped", "other", "minority", "started",
            "finished", "handed-over"),
    ]

    /// The figures of one year of a poverty report (the whole unit's or one commune's).
    private static let povertyNumbers = numbers(
        "year", "households", "persons", "communes-without-total", "poor", "poor-persons", "near-poor",
        "near-poor-persons", "poor-rate", "near-poor-rate", "multidimensional-rate")

    /// Every count of a FLOWS record and its persons, and the two years.
    private static let flowNumbers: [String: ValueType] = {
        let counts = [
            "poor-start", "escaped-poor", "escaped-poor-to-near-poor", "newly-poor", "fell-back-poor", "left-poor",
            "poor-end", "near-poor-start", "escaped-near-poor", "near-poor-to-poor", "newly-near-poor",
            "near-poor-from-poor", "fell-back-near-poor", "left-near-poor", "near-poor-end",
        ]
        var keys = ["from": ValueType.number, "to": .number]
        for count in counts {
            keys[count] = .number
            keys[count + "-persons"] = .number
        }
        return keys
    }()

    private static func numbers(_ keys: String...) -> [String: ValueType] {
        Dictionary(uniqueKeysWithValues: keys.map { ($0, .number) })
    }

    private static func booleans(_ keys: String...) -> [String: ValueType] {
        Dictionary(uniqueKeysWithValues: keys.map { ($0, .boolean) })
    }

    public static func type(of key: String, in record: String) -> ValueType? { types[record]?[key] }

    /// The JSON text of one value: a number or a boolean where the schema says so and the value is one
    /// (anything else stays a string, so nothing is ever lost), a string otherwise.
    static func jsonValue(_ value: String, key: String, record: String) -> String? {
        jsonValue(value, type: type(of: key, in: record))
    }

    /// The JSON text of one value of the given type (nil: not typed, or not a valid value of the type).
    /// Numbers are plain decimals as CLP/1 writes them (`87800`, `0.47`, `-0.07`): no exponent, no leading
    /// `+`, no leading zeros, no bare `.`; JSON takes them as they are.
    static func jsonValue(_ value: String, type: ValueType?) -> String? {
        switch type {
        case .number:
            let digits = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
            let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
            guard !digits.isEmpty, parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
                parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
                parts[0] == "0" || !parts[0].hasPrefix("0")
            else { return nil }
            return value
        case .boolean:
            switch value {
            case "yes": return "true"
            case "no": return "false"
            default: return nil
            }
        case nil:
            return nil
        }
    }
}
