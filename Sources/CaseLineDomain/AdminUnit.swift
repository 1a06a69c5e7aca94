/// The two editions of Vietnam's administrative map: after the reform of 1 July 2025 (provinces and
/// communes, no district tier) and before it. Codes were reused across the reform, so a unit is known by
/// (edition, code).
public enum Edition: String, Sendable, Hashable, CaseIterable {
    case current = "2025"
    case legacy
}

public enum UnitLevel: String, Sendable, Hashable {
    case province, district, commune

    /// Codes have 2 digits for provinces, 3 for districts and 5 for communes.
    public init?(codeLength: Int) {
        switch codeLength {
        case 2: self = .province
        case 3: self = .district
        case 5: self = .commune
        default: return nil
        }
    }
}

/// How a unit is referred to on the wire: `CODE` (2025 edition) or `legacy:CODE`.
public struct UnitRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var edition: Edition
    public var code: String

    public init(_ edition: Edition, _ code: String) {
        self.edition = edition
        self.code = code
    }

    public init?(wire: String) {
        if wire.hasPrefix("legacy:") {
            self.init(.legacy, String(wire.dropFirst(7)))
        } else {
            self.init(.current, wire)
        }
        guard !code.isEmpty, code.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
    }

    /// A reference as records store it: `CODE` or `legacy:CODE`. Stored references were validated on the way
    /// in, so an unreadable one is taken as a current code rather than dropped.
    public init(stored: String) {
        self = UnitRef(wire: stored) ?? UnitRef(.current, stored)
    }

    public var description: String { edition == .legacy ? "legacy:\(code)" : code }

    public static func < (a: UnitRef, b: UnitRef) -> Bool {
        (a.edition == .current ? 0 : 1, a.code) < (b.edition == .current ? 0 : 1, b.code)
    }
}

public struct AdminUnit: Sendable, Hashable {
    public static let types = ["province", "city", "district", "town", "commune", "ward", "township", "special-zone"]

    public var ref: UnitRef
    /// One of `types`.
    public var type: String
    public var name: String
    public var shortName: String
    /// The unit directly above (province, or district for legacy communes); nil for provinces.
    public var parent: String?
    /// The province it lies in; nil for provinces.
    public var province: String?
    public var latitude: Double?
    public var longitude: Double?
    public var areaKm2: Double?

    public init(
        ref: UnitRef, type: String, name: String, shortName: String, parent: String?, province: String?,
        latitude: Double? = nil, longitude: Double? = nil, areaKm2: Double? = nil
    ) {
        self.ref = ref
        self.type = type
        self.name = name
        self.shortName = shortName
        self.parent = parent
        self.province = province
        self.latitude = latitude
        self.longitude = longitude
        self.areaKm2 = areaKm2
    }

    public var level: UnitLevel { UnitLevel(codeLength: ref.code.count) ?? .commune }
    public var parentRef: UnitRef? { parent.map { UnitRef(ref.edition, $0) } }
    public var provinceRef: UnitRef? { province.map { UnitRef(ref.edition, $0) } }
}

/// One link of the reform's lineage: a legacy unit went (wholly or in part) into a 2025 unit.
public struct UnitLink: Sendable, Hashable {
    public var legacyCode: String
    public var currentCode: String
    /// Only part of the legacy unit went into this successor.
    public var split: Bool
    /// The successor under which records filed against the legacy code report.
    public var primary: Bool

    public init(legacyCode: String, currentCode: String, split: Bool, primary: Bool) {
        self.legacyCode = legacyCode
        self.currentCode = currentCode
        self.split = split
        self.primary = primary
    }
}
