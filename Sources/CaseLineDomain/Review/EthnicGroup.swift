import Foundation

/// One of Vietnam's 54 ethnic groups, with its code in the official list, "Danh mục các thành phần dân tộc
/// Việt Nam" of QĐ 121-TCTK/PPCĐ (2 March 1979), which numbers them by population at the time: 01 Kinh … 53
/// Ơ Đu, 54 Rơ-măm. Reports count ethnic-minority households and persons (QĐ 90/QĐ-TTg's targets), so the
/// field is a code, not free text.
///
/// Beware: the GSO's later list (QĐ 1019/QĐ-TCTK, 12/11/2008, used by the censuses) renumbers the same 54
/// groups from 04 on (04 Mường, 05 Khơ-me, 06 Hoa … 54 Ơ Đu). A code means nothing without its list; CaseLine
/// stores QĐ 121's codes and says so (`codeList`). The 2008 numbering could be checked here for 01–20 only,
/// so it is not shipped.
public struct EthnicGroup: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The list the codes come from.
    public static let codeList = "QĐ 121-TCTK/PPCĐ"

    /// 1…54.
    public let code: Int
    /// The name as the list writes it, with today's usual spelling.
    public let name: String
    /// Other spellings and names people type (`Khmer`, `H'Mông`, `Mèo`, `Jrai`).
    public let aliases: [String]

    init(_ code: Int, _ name: String, _ aliases: [String] = []) {
        self.code = code
        self.name = name
        self.aliases = aliases
    }

    /// `01`…`54`.
    public var codeText: String { (code < 10 ? "0" : "") + "\(code)" }

    public var description: String { "\(codeText) \(name)" }

    /// Every group but the Kinh is an ethnic minority (NĐ 05/2011/NĐ-CP art. 4).
    public var isMinority: Bool { code != 1 }

    public static func code(_ code: Int) -> EthnicGroup? { (1...all.count).contains(code) ? all[code - 1] : nil }

    /// The group a person's entry names: its code (`8`, `08`) or any of its names, ignoring case, tones and
    /// hyphens (`tay`, `Khơ Mú`, `khmer`).
    public static func lookup(_ text: String) -> EthnicGroup? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.count <= 2, trimmed.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let number = Int(trimmed)
        {
            return code(number)
        }
        return byName[NameFolding.fold(trimmed)]
    }

    static let byName: [String: EthnicGroup] = {
        var names: [String: EthnicGroup] = [:]
        for group in all {
            for name in [group.name] + group.aliases { names[NameFolding.fold(name)] = group }
        }
        return names
    }()

    public static let all: [EthnicGroup] = [
        EthnicGroup(1, "Kinh", ["Việt", "Kinh (Việt)"]),
        EthnicGroup(2, "Tày"),
        EthnicGroup(3, "Thái"),
        EthnicGroup(4, "Hoa", ["Hán", "Hoa (Hán)"]),
        EthnicGroup(5, "Khơ-me", ["Khmer", "Khơ me", "Khơme"]),
        EthnicGroup(6, "Mường"),
        EthnicGroup(7, "Nùng"),
        EthnicGroup(8, "Mông", ["HMông", "H'Mông", "H’Mông", "Hmông", "Mèo", "HMông (Mèo)"]),
        EthnicGroup(9, "Dao"),
        EthnicGroup(10, "Gia-rai", ["Jrai", "Giarai"]),
        EthnicGroup(11, "Ngái"),
        EthnicGroup(12, "Ê-đê", ["Êđê", "Ra-đê", "Rhađê"]),
        EthnicGroup(13, "Ba-na", ["Bahnar"]),
        EthnicGroup(14, "Xơ-đăng", ["Xêđăng"]),
        EthnicGroup(15, "Sán Chay", ["Cao Lan", "Sán Chỉ", "Cao Lan-Sán Chỉ"]),
        EthnicGroup(16, "Cơ-ho", ["K'Ho", "K’Ho", "Kơ Ho", "Cơho"]),
        EthnicGroup(17, "Chăm", ["Chàm"]),
        EthnicGroup(18, "Sán Dìu"),
        EthnicGroup(19, "Hrê", ["H're"]),
        EthnicGroup(20, "Mnông", ["M'Nông", "M’Nông"]),
        EthnicGroup(21, "Ra-glai", ["Raglai", "Rắc-lây"]),
        EthnicGroup(22, "Xtiêng", ["X'Tiêng", "X’Tiêng", "Stiêng", "Xa-điêng"]),
        EthnicGroup(23, "Bru-Vân Kiều", ["Vân Kiều", "Bru"]),
        EthnicGroup(24, "Thổ"),
        EthnicGroup(25, "Giáy"),
        EthnicGroup(26, "Cơ-tu", ["Ca-tu", "Katu", "Kơ Tu"]),
        EthnicGroup(27, "Giẻ-Triêng", ["Gié-Triêng"]),
        EthnicGroup(28, "Mạ"),
        EthnicGroup(29, "Khơ-mú", ["Khmu", "Kmụ", "Xá Cẩu"]),
        EthnicGroup(30, "Co"),
        EthnicGroup(31, "Tà-ôi", ["Ta Ôi", "Pa-cô", "Pa Cô"]),
        EthnicGroup(32, "Chơ-ro", ["Châu-ro"]),
        EthnicGroup(33, "Kháng"),
        EthnicGroup(34, "Xinh-mun"),
        EthnicGroup(35, "Hà Nhì"),
        EthnicGroup(36, "Chu-ru"),
        EthnicGroup(37, "Lào"),
        EthnicGroup(38, "La Chí"),
        EthnicGroup(39, "La Ha"),
        EthnicGroup(40, "Phù Lá"),
        EthnicGroup(41, "La Hủ"),
        EthnicGroup(42, "Lự"),
        EthnicGroup(43, "Lô Lô"),
        EthnicGroup(44, "Chứt"),
        EthnicGroup(45, "Mảng"),
        EthnicGroup(46, "Pà Thẻn"),
        EthnicGroup(47, "Cơ Lao", ["Co Lao", "Cờ Lao"]),
        EthnicGroup(48, "Cống"),
        EthnicGroup(49, "Bố Y"),
        EthnicGroup(50, "Si La"),
        EthnicGroup(51, "Pu Péo"),
        EthnicGroup(52, "Brâu"),
        EthnicGroup(53, "Ơ Đu", ["Ơ-đu"]),
        EthnicGroup(54, "Rơ-măm", ["Rơ Măm"]),
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard text.utf8.count == 2, let group = Self.lookup(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ethnic group code: \(text)")
        }
        self = group
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(codeText)
    }
}
