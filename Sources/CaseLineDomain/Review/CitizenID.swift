/// A personal identification number (số định danh cá nhân) as printed on the citizen identity card (CCCD):
/// 12 digits (TT 07/2016/TT-BCA, replaced by TT 59/2021/TT-BCA): 3 for the province where the birth was
/// registered, 1 for the century of birth and the gender, 2 for the last digits of the year of birth, 6 at
/// random. Members need it for the programme's reports (health-insurance cards, who is counted where), and it
/// identifies a person across households, so it is unique per person and masked like the head's.
///
/// What is refused and what is only warned about:
/// - **Refused** (`INVALID`): anything but exactly 12 ASCII digits; a century digit that places the birth after
///   2099 (4–9: 22nd century and later); a year of birth after `today`'s year. The number alone proves these
///   wrong.
/// - **Warned**: a province code outside TT 59/2021's list of 63 (†: codes for births registered abroad are not
///   in our sources), a gender or year of birth that differs from the person's record. Either the number or the
///   record may be the one that is wrong, and elderly people's recorded birth dates are often approximate, so
///   staff must be able to register what the card says; the server returns the warnings and audits them.
public struct CitizenID: Sendable, Hashable, Codable, CustomStringConvertible {
    public let digits: String

    /// Validated form; see `check` for the reasons of a refusal.
    public init?(_ text: String) {
        guard case .success(let value) = Self.parse(text) else { return nil }
        self = value
    }

    init(unchecked digits: String) { self.digits = digits }

    public var description: String { digits }

    /// `••••••••1234`: the last four digits, as lists show it to readers who may not see identity fields.
    public var masked: String { String(repeating: "•", count: 8) + digits.suffix(4) }

    /// The province code of the birth registration (`001` Hà Nội … `096` Cà Mau).
    public var provinceCode: String { String(digits.prefix(3)) }

    /// 0–3 for the 20th and 21st centuries.
    var centuryDigit: Int { Int(digits.utf8[digits.utf8.index(digits.utf8.startIndex, offsetBy: 3)]) - 0x30 }

    /// Male for an even century digit, female for an odd one.
    public var gender: Gender { centuryDigit % 2 == 0 ? .male : .female }

    /// The year of birth the number encodes (digit 4 gives the century, digits 5–6 the year in it).
    public var birthYear: Int {
        let bytes = Array(digits.utf8)
        let yy = (Int(bytes[4]) - 0x30) * 10 + Int(bytes[5]) - 0x30
        return 1900 + (centuryDigit / 2) * 100 + yy
    }

    /// Twelve ASCII digits with a 20th- or 21st-century digit, or the refusal saying which rule failed.
    public static func parse(_ text: String) -> Result<CitizenID, DomainError> {
        let bytes = Array(text.utf8)
        guard bytes.count == 12, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return .failure(DomainError(.invalid, "a CCCD number has exactly 12 digits (0–9)"))
        }
        let id = CitizenID(unchecked: text)
        guard id.centuryDigit <= 3 else {
            return .failure(
                DomainError(
                    .invalid, "the 4th digit of a CCCD number gives a birth before 2100 (0–3), not \(id.centuryDigit)"))
        }
        return .success(id)
    }

    /// A warning about a number that is well formed but does not agree with what is known.
    public enum Warning: Sendable, Hashable, Codable, CustomStringConvertible {
        case unknownProvince(String)
        case genderDiffers(number: Gender, record: Gender)
        case birthYearDiffers(number: Int, record: Int)

        public var description: String {
            switch self {
            case .unknownProvince(let code): "province code \(code) is not in TT 59/2021/TT-BCA's list"
            case .genderDiffers(let number, let record):
                "the number is a \(number.rawValue)'s, the record says \(record.rawValue)"
            case .birthYearDiffers(let number, let record):
                "the number gives birth year \(number), the record \(record)"
            }
        }
    }

    /// Checks the number against the person's record. Refused for a year of birth after `today`; otherwise the
    /// warnings, possibly none.
    public static func check(
        _ text: String, gender: Gender?, birth: CivilDate?, today: CivilDate
    ) -> Result<(CitizenID, [Warning]), DomainError> {
        let id: CitizenID
        switch parse(text) {
        case .success(let value): id = value
        case .failure(let error): return .failure(error)
        }
        guard id.birthYear <= today.year else {
            return .failure(DomainError(.invalid, "the CCCD number gives birth year \(id.birthYear), in the future"))
        }
        var warnings: [Warning] = []
        if !provinceCodes.contains(id.provinceCode) { warnings.append(.unknownProvince(id.provinceCode)) }
        if let gender, gender != id.gender { warnings.append(.genderDiffers(number: id.gender, record: gender)) }
        if let birth, birth.year != id.birthYear {
            warnings.append(.birthYearDiffers(number: id.birthYear, record: birth.year))
        }
        return .success((id, warnings))
    }

    /// The 63 province codes of TT 59/2021/TT-BCA's annex (the provinces before the 2025 reform; numbers issued
    /// keep them for life): `0` + the statistical province code.
    public static let provinceCodes: Set<String> = [
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024",
        "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045",
        "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070",
        "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
        "094", "095", "096",
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = CitizenID(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a CCCD number")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}
