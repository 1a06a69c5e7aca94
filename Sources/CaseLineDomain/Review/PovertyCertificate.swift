/// The number of a poor / near-poor household certificate (Giấy chứng nhận hộ nghèo, hộ cận nghèo, Mẫu 03 of
/// QĐ 24/2021/QĐ-TTg), written `<n>/GCN-HN.HCN`: the form leaves the number blank before a fixed symbol
/// ("Số: …/GCN-HN.HCN").
///
/// Format chosen: `n` is the commune's running number for the calendar year of issue, from 01, written with at
/// least two digits (`01/GCN-HN.HCN`, `12/GCN-HN.HCN`, `105/GCN-HN.HCN`). Why: a certificate is a document
/// the commune People's Committee issues, and NĐ 30/2020/NĐ-CP (văn thư) numbers an issuer's documents from 01
/// on 1 January to 31 December each year, two digits at least. So the number is unique per (commune, year of
/// issue), which is the key the store enforces; the year itself is printed on the certificate, not in the
/// number. Periodic and ad-hoc campaigns of one commune share the sequence.
public struct CertificateNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    public var sequence: Int
    public var suffix: String

    public init(sequence: Int, suffix: String = "GCN-HN.HCN") {
        self.sequence = sequence
        self.suffix = suffix
    }

    public var description: String {
        (sequence < 10 && sequence >= 0 ? "0" : "") + "\(sequence)/\(suffix)"
    }

    /// Reads `12/GCN-HN.HCN` back (any suffix without spaces); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let sequence = Int(parts[0]), sequence >= 1, !parts[1].isEmpty, !parts[1].contains(" ")
        else { return nil }
        self.init(sequence: sequence, suffix: String(parts[1]))
    }
}

/// A certificate issued to a household at the end of a campaign.
public struct PovertyCertificate: Sendable, Hashable, Codable {
    public var number: CertificateNumber
    /// The key of the number's sequence: the commune and the year of `issued`.
    public var commune: String
    public var household: String
    public var classification: ReviewClass
    /// The list year it certifies.
    public var listYear: Int
    public var campaign: String
    public var issued: CivilDate
    public var signature: OfficeSignature

    public init(
        number: CertificateNumber, commune: String, household: String, classification: ReviewClass, listYear: Int,
        campaign: String, issued: CivilDate, signature: OfficeSignature
    ) {
        self.number = number
        self.commune = commune
        self.household = household
        self.classification = classification
        self.listYear = listYear
        self.campaign = campaign
        self.issued = issued
        self.signature = signature
    }
}
