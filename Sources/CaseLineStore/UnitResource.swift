public import CaseLineDomain
import Foundation

/// The administrative units shipped with CaseLine (Resources/admin-units.tsv, built by
/// Tools/units/build-units.py), and the reader for units an admin imports from CSV.
public enum UnitResource {
    /// The dataset distinguishes quận from huyện and a provincial city from a centrally-run one; the
    /// protocol's type list (CLP1.md §10.3) folds those into `district` and `city`.
    static func protocolType(_ type: String) -> String {
        switch type {
        case "urban-district": "district"
        case "district-city": "city"
        default: type
        }
    }

    public static func bundled() throws -> (units: [AdminUnit], links: [UnitLink]) {
        guard let url = Bundle.module.url(forResource: "admin-units", withExtension: "tsv") else {
            throw DomainError(.internalError, "the bundled admin-units.tsv is missing from this build")
        }
        return try parseBundled(String(contentsOf: url, encoding: .utf8))
    }

    static func parseBundled(_ text: String) throws -> (units: [AdminUnit], links: [UnitLink]) {
        var units: [AdminUnit] = []
        var links: [UnitLink] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            func optional(_ i: Int) -> String? { i < f.count && !f[i].isEmpty ? f[i] : nil }
            switch f.first {
            case "U" where f.count >= 8:
                units.append(
                    AdminUnit(
                        ref: UnitRef(f[1] == "2025" ? .current : .legacy, f[2]), type: protocolType(f[3]), name: f[4],
                        shortName: f[5], parent: optional(6),
                        // The dataset names a province's own code as its province; the protocol does not.
                        province: f[2].count == 2 ? nil : optional(7),
                        latitude: optional(8).flatMap(Double.init), longitude: optional(9).flatMap(Double.init),
                        areaKm2: optional(10).flatMap(Double.init)))
            case "L" where f.count >= 4:
                links.append(
                    UnitLink(legacyCode: f[1], currentCode: f[2], split: f[3] != "whole", primary: f[3] != "split"))
            default:
                throw DomainError(.invalid, "admin-units.tsv: unreadable line \(line.prefix(40))")
            }
        }
        return (units, links)
    }
}
