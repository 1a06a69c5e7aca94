/// An office of a People's Committee — Chủ tịch UBND xã Bạch Thông, Chủ tịch UBND tỉnh Thái Nguyên — as
/// distinct from the person who holds it. QĐ 24/2021/QĐ-TTg gives the review's decisions to offices: the
/// commune chairman decides and signs the certificates, the district (now province) chairman gives the
/// opinion. The chairman of the commune's review steering committee may be someone else. So approvals name
/// the office, and a user acts in it only while holding it (or acting for its holder, as a vice-chairman
/// signing "KT. CHỦ TỊCH" does).
public struct Office: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Post: String, Sendable, Hashable, Codable, CaseIterable {
        /// Chủ tịch.
        case chairman
        /// Phó Chủ tịch.
        case viceChairman = "vice-chairman"
    }

    /// The tier of the unit, which names the office (xã, huyện, tỉnh).
    public enum Level: String, Sendable, Hashable, Codable, CaseIterable {
        case commune
        case district
        case province
    }

    public var post: Post
    public var level: Level
    /// The unit whose People's Committee it is, as records store units: `CODE` or `legacy:CODE`.
    public var unit: String

    public init(_ post: Post, level: Level, unit: String) {
        self.post = post
        self.level = level
        self.unit = unit
    }

    public static func communeChairman(_ commune: String) -> Office {
        Office(.chairman, level: .commune, unit: commune)
    }

    /// The chairman's office of the level that gives its opinion.
    public static func chairman(of level: HigherLevel, unit: String) -> Office {
        Office(.chairman, level: level == .district ? .district : .province, unit: unit)
    }

    /// `Chủ tịch UBND xã Bạch Thông` given the unit's name (`Xã Bạch Thông`).
    public func title(unitName: String) -> String {
        let post = self.post == .chairman ? "Chủ tịch" : "Phó Chủ tịch"
        return "\(post) UBND \(unitName.prefix(1).lowercased() + unitName.dropFirst())"
    }

    /// `chairman of commune 02014`: for audit lines, where unit names are not at hand.
    public var description: String { "\(post.rawValue) of \(level.rawValue) \(unit)" }
}

/// A user holding an office for a time, from the appointment (or a dated delegation) on.
public struct OfficeHolding: Sendable, Hashable, Codable {
    public var office: Office
    /// The login of the person who exercises it.
    public var login: String
    public var from: CivilDate
    /// Nil while still held.
    public var through: CivilDate?
    /// When exercised for its holder (a delegation, "KT. Chủ tịch"): the holder's login.
    public var onBehalfOf: String?
    /// `OF-n` once the store keeps it (OFFICE ASSIGN); nil for a holding not stored.
    public var id: String?

    public init(
        office: Office, login: String, from: CivilDate, through: CivilDate? = nil, onBehalfOf: String? = nil,
        id: String? = nil
    ) {
        self.id = id
        self.office = office
        self.login = login
        self.from = from
        self.through = through
        self.onBehalfOf = onBehalfOf
    }

    public func isActive(on date: CivilDate) -> Bool { from <= date && through.map { date <= $0 } ?? true }

    /// Whether the two holdings share a day (an open end runs for ever).
    public func overlaps(_ other: OfficeHolding) -> Bool {
        (other.through.map { from <= $0 } ?? true) && (through.map { other.from <= $0 } ?? true)
    }
}

/// Who signed an act, in which office: what decisions, opinions, refusals and certificates record.
public struct OfficeSignature: Sendable, Hashable, Codable, CustomStringConvertible {
    public var office: Office
    public var login: String
    public var onBehalfOf: String?

    public init(office: Office, login: String, onBehalfOf: String? = nil) {
        self.office = office
        self.login = login
        self.onBehalfOf = onBehalfOf
    }

    /// `lan as chairman of commune 02014 (on behalf of hung)`.
    public var description: String {
        "\(login) as \(office)" + (onBehalfOf.map { " (on behalf of \($0))" } ?? "")
    }
}
