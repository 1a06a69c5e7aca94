/// What a command argument may hold. The codec checks each value against its kind, so a malformed value is
/// refused with `BAD [BAD-VALUE]` before any business logic runs, and normalises it (NFC text, lower-case
/// choices) so that the layers above see one spelling.
public indirect enum ValueKind: Sendable, Hashable {
    /// Any text, NFC, at most this many characters (extended grapheme clusters). Empty text is allowed.
    case text(maxCharacters: Int)
    /// A name or id: 1–64 ASCII letters, digits and `. _ - : @ /`.
    case identifier
    /// A base-10 integer within the range, optional leading `-`.
    case integer(ClosedRange<Int64>)
    /// A calendar date `YYYY-MM-DD` (Gregorian, years 1900–2999).
    case date
    /// One of the listed words, compared case-insensitively, normalised to the listed spelling.
    case choice([String])
    /// `yes` / `no` (also `true`/`false`, `1`/`0`), normalised to `yes` / `no`.
    case boolean
    /// An amount of money in whole đồng: digits only, 0 … 10^15.
    case amount
    /// A non-negative figure with at most two decimals (`0.54`, `14`, `2.5`), at most 10^9: a target's rate in
    /// percent, points or a count. A comma is refused rather than guessed at (`0,54` is a Vietnamese decimal).
    case decimal
    /// A comma-separated list (no spaces) of 1…`maxItems` values of the inner kind; duplicates refused.
    case list(ValueKind, maxItems: Int)
    /// Funding sources with their amounts: `central:15000000,socialised:5000000`; the sources a server knows.
    case funding(sources: [String])
    /// An administrative unit: `CODE` (current, 2025 edition) or `legacy:CODE` (before 1 July 2025).
    case unit
    /// A user's scope: `national`, `province:CODE` or `commune:CODE`.
    case scope
    /// An entity reference for HISTORY: `KIND:ID`, e.g. `task:T-17`, `user:lan`, `unit:04384`, of the kinds given.
    case entity(kinds: [String])
    /// An approval chain: `ROLE@LEVEL[,ROLE@LEVEL…]`, e.g. `chair@commune,officer@province`, of the roles that may
    /// decide and the levels given, at most 8 steps.
    case chain(roles: [String], levels: [String])
    /// A lower-case hexadecimal SHA-256 fingerprint (64 digits; colons allowed and removed).
    case fingerprint

    /// The placeholder shown in syntax lines and `HELP`.
    public var placeholder: String {
        switch self {
        case .text: return "text"
        case .identifier: return "id"
        case .integer: return "n"
        case .date: return "YYYY-MM-DD"
        case .choice(let words): return words.joined(separator: "|")
        case .boolean: return "yes|no"
        case .amount: return "vnd"
        case .decimal: return "n.nn"
        case .list(let inner, _): return "\(inner.placeholder),…"
        case .funding: return "source:vnd,…"
        case .unit: return "unit"
        case .scope: return "national|province:CODE|commune:CODE"
        case .entity: return "kind:id"
        case .chain: return "role@level,…"
        case .fingerprint: return "sha256"
        }
    }
}

extension ValueKind {
    static let maxAmount: Int64 = 1_000_000_000_000_000

    /// Checks `value` (already NFC) and returns its normal form, or a message saying what is wrong.
    public func normalise(_ value: String) -> Result<String, ValueError> {
        switch self {
        case .text(let maxCharacters):
            if value.count > maxCharacters {
                return .failure(ValueError("is longer than \(maxCharacters) characters"))
            }
            return .success(value)
        case .identifier:
            return Self.checkIdentifier(value).map { value }
        case .integer(let range):
            guard let number = Self.parseInteger(value) else {
                return .failure(ValueError("is not a whole number"))
            }
            guard range.contains(number) else {
                return .failure(ValueError("must be between \(range.lowerBound) and \(range.upperBound)"))
            }
            return .success(String(number))
        case .date:
            return Self.checkDate(value).map { value }
        case .choice(let words):
            let lowered = value.lowercased()
            guard let match = words.first(where: { $0.lowercased() == lowered }) else {
                return .failure(ValueError("must be one of \(words.joined(separator: ", "))"))
            }
            return .success(match)
        case .boolean:
            switch value.lowercased() {
            case "yes", "true", "1": return .success("yes")
            case "no", "false", "0": return .success("no")
            default: return .failure(ValueError("must be yes or no"))
            }
        case .amount:
            return Self.checkAmount(value).map { String($0) }
        case .decimal:
            return Self.checkDecimal(value).map { Self.decimalText($0) }
        case .list(let inner, let maxItems):
            let items = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard items.count <= maxItems else {
                return .failure(ValueError("has more than \(maxItems) items"))
            }
            var normalised: [String] = []
            for item in items {
                guard !item.isEmpty else { return .failure(ValueError("has an empty item")) }
                switch inner.normalise(item) {
                case .success(let one):
                    if normalised.contains(one) { return .failure(ValueError("lists \(one) twice")) }
                    normalised.append(one)
                case .failure(let error):
                    return .failure(ValueError("item \(Sanitise.excerpt(item)) \(error.message)"))
                }
            }
            return .success(normalised.joined(separator: ","))
        case .funding(let sources):
            return Self.normaliseFunding(value, sources: sources)
        case .unit:
            return Self.normaliseUnit(value)
        case .scope:
            if value.lowercased() == "national" { return .success("national") }
            guard let colon = value.firstIndex(of: ":") else {
                return .failure(ValueError("must be national, province:CODE or commune:CODE"))
            }
            let level = value[..<colon].lowercased()
            let code = String(value[value.index(after: colon)...])
            guard level == "province" || level == "commune" else {
                return .failure(ValueError("must be national, province:CODE or commune:CODE"))
            }
            return Self.checkUnitCode(code).map { "\(level):\(code)" }
        case .entity(let kinds):
            guard let colon = value.firstIndex(of: ":") else {
                return .failure(ValueError("must be KIND:ID, e.g. task:T-17"))
            }
            let kind = value[..<colon].lowercased()
            guard kinds.contains(kind) else {
                return .failure(ValueError("names an unknown kind; kinds are \(kinds.joined(separator: ", "))"))
            }
            let id = String(value[value.index(after: colon)...])
            return Self.checkIdentifier(id).map { "\(kind):\(id)" }
        case .chain(let roles, let levels):
            return Self.normaliseChain(value, roles: roles, levels: levels)
        case .fingerprint:
            let hex = value.lowercased().filter { $0 != ":" }
            guard hex.utf8.count == 64,
                hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
            else { return .failure(ValueError("must be 64 hexadecimal digits (a SHA-256 fingerprint)")) }
            return .success(hex)
        }
    }

    static func checkIdentifier(_ value: String) -> Result<Void, ValueError> {
        guard !value.isEmpty, value.utf8.count <= 64 else {
            return .failure(ValueError("must be 1 to 64 characters long"))
        }
        for byte in value.utf8 where !Self.isIdentifierByte(byte) {
            return .failure(ValueError("may hold only ASCII letters, digits and . _ - : @ /"))
        }
        return .success(())
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"),
            UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    static func parseInteger(_ value: String) -> Int64? {
        var digits = Substring(value)
        var negative = false
        if digits.first == "-" {
            negative = true
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        // Leading zeros do not count toward the size; Int64's parser refuses anything past Int64.max.
        let significant = digits.drop { $0 == "0" }
        guard significant.utf8.count <= 19 else { return nil }
        guard let magnitude = significant.isEmpty ? 0 : Int64(significant) else { return nil }
        return negative ? -magnitude : magnitude
    }

    static func checkAmount(_ value: String) -> Result<Int64, ValueError> {
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return .failure(ValueError("must be whole đồng written with digits only (no separators)"))
        }
        let significant = value.drop { $0 == "0" }
        guard significant.utf8.count <= 16, let number = significant.isEmpty ? 0 : Int64(significant),
            number <= maxAmount
        else {
            return .failure(ValueError("is larger than 10^15 đồng"))
        }
        return .success(number)
    }

    /// A `decimal` value in hundredths: `0.54` → 54, `14` → 1400, `2.5` → 250.
    public static func checkDecimal(_ value: String) -> Result<Int64, ValueError> {
        let parts = value.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        func digits(_ part: Substring) -> Bool {
            !part.isEmpty && part.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard (1...2).contains(parts.count), digits(parts[0]), parts.count == 1 || digits(parts[1]) else {
            return .failure(ValueError("must be a number with digits and at most one `.` (e.g. 0.54 or 14)"))
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.utf8.count <= 2 else { return .failure(ValueError("has more than two decimals")) }
        let whole = parts[0].drop { $0 == "0" }
        guard whole.utf8.count <= 10, let units = whole.isEmpty ? 0 : Int64(whole), units <= 1_000_000_000 else {
            return .failure(ValueError("is larger than 10^9"))
        }
        let hundredths = Int64(fraction.count == 1 ? fraction + "0" : fraction.isEmpty ? "0" : String(fraction)) ?? 0
        return .success(units * 100 + hundredths)
    }

    /// Hundredths written back: 54 → `0.54`, 1400 → `14`, 250 → `2.5`, -7 → `-0.07`.
    public static func decimalText(_ hundredths: Int64) -> String {
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        let (units, rest) = magnitude.quotientAndRemainder(dividingBy: 100)
        if rest == 0 { return "\(sign)\(units)" }
        if rest % 10 == 0 { return "\(sign)\(units).\(rest / 10)" }
        return "\(sign)\(units).\(rest < 10 ? "0" : "")\(rest)"
    }

    static func checkDate(_ value: String) -> Result<Void, ValueError> {
        let bytes = Array(value.utf8)
        let shapeOK =
            bytes.count == 10 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
            && [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9") }
        guard shapeOK, let year = Int(value.prefix(4)), let month = Int(value.dropFirst(5).prefix(2)),
            let day = Int(value.suffix(2))
        else { return .failure(ValueError("must be a date written YYYY-MM-DD")) }
        guard (1900...2999).contains(year) else { return .failure(ValueError("has a year outside 1900–2999")) }
        guard (1...12).contains(month) else { return .failure(ValueError("has no month \(month)")) }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else {
            return .failure(ValueError("is not a real date (\(value))"))
        }
        return .success(())
    }

    static func checkUnitCode(_ code: String) -> Result<Void, ValueError> {
        guard (1...8).contains(code.utf8.count),
            code.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return .failure(ValueError("must have a unit code of 1 to 8 digits")) }
        return .success(())
    }

    static func normaliseUnit(_ value: String) -> Result<String, ValueError> {
        if let colon = value.firstIndex(of: ":") {
            let edition = value[..<colon].lowercased()
            let code = String(value[value.index(after: colon)...])
            guard edition == "legacy" || edition == "2025" else {
                return .failure(ValueError("names an unknown edition; use CODE, 2025:CODE or legacy:CODE"))
            }
            return checkUnitCode(code).map { edition == "legacy" ? "legacy:\(code)" : code }
        }
        return checkUnitCode(value).map { value }
    }

    static func normaliseFunding(_ value: String, sources fundingSources: [String]) -> Result<String, ValueError> {
        var seen: [String] = []
        var parts: [String] = []
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            guard let colon = item.firstIndex(of: ":") else {
                return .failure(ValueError("must be SOURCE:AMOUNT items, e.g. central:15000000,socialised:5000000"))
            }
            let source = item[..<colon].lowercased()
            guard fundingSources.contains(source) else {
                return .failure(
                    ValueError("names an unknown source; sources are \(fundingSources.joined(separator: ", "))"))
            }
            guard !seen.contains(source) else { return .failure(ValueError("lists \(source) twice")) }
            seen.append(source)
            switch checkAmount(String(item[item.index(after: colon)...])) {
            case .success(let amount): parts.append("\(source):\(amount)")
            case .failure(let error): return .failure(ValueError("\(source) amount \(error.message)"))
            }
        }
        return .success(parts.joined(separator: ","))
    }

    static func normaliseChain(_ value: String, roles: [String], levels chainLevels: [String]) -> Result<
        String, ValueError
    > {
        var steps: [String] = []
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = item.split(separator: "@", omittingEmptySubsequences: false)
            guard pieces.count == 2 else {
                return .failure(ValueError("must be ROLE@LEVEL steps, e.g. chair@commune,officer@province"))
            }
            let role = pieces[0].lowercased()
            let level = pieces[1].lowercased()
            guard roles.contains(role) else {
                return .failure(ValueError("names a role that cannot approve (\(Sanitise.excerpt(String(pieces[0]))))"))
            }
            guard chainLevels.contains(level) else {
                return .failure(ValueError("names an unknown level; levels are \(chainLevels.joined(separator: ", "))"))
            }
            guard !steps.contains("\(role)@\(level)") else {
                return .failure(ValueError("lists the step \(role)@\(level) twice"))
            }
            steps.append("\(role)@\(level)")
        }
        guard steps.count <= 8 else { return .failure(ValueError("has more than 8 steps")) }
        return .success(steps.joined(separator: ","))
    }
}

/// Why a value does not fit its kind; the codec prefixes the parameter's name.
public struct ValueError: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
