public import CaseLineDomain
import Foundation

/// Reads an admin's own unit list (CSV, UTF-8) for `caseline-server import units`: every row is checked, every
/// bad row reported with its line number and reason, and nothing is loaded unless every row is good.
///
/// Columns (a header row naming them is required, in any order; the last three may be absent):
/// `edition,code,type,name,short_name,parent,province,lat,lon,area_km2`.
public enum UnitImport {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Every problem found, in line order.
    public struct Problems: Error, Sendable {
        public var list: [Problem]
    }

    static let required = ["edition", "code", "type", "name", "short_name", "parent", "province"]

    public static func parse(_ text: String) -> Result<[AdminUnit], Problems> {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first else {
            return .failure(Problems(list: [Problem(line: 1, reason: "the file is empty")]))
        }
        let columns = CSV.fields(header.hasPrefix("\u{FEFF}") ? String(header.dropFirst()) : header) ?? []
        let missing = required.filter { !columns.contains($0) }
        guard missing.isEmpty else {
            return .failure(
                Problems(list: [
                    Problem(line: 1, reason: "the header lacks column(s) \(missing.joined(separator: ", "))")
                ]))
        }
        var problems: [Problem] = []
        var units: [AdminUnit] = []
        var seen: [UnitRef: Int] = [:]
        for (index, line) in lines.enumerated().dropFirst() {
            let number = index + 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let fields = CSV.fields(line) else {
                problems.append(Problem(line: number, reason: "unbalanced quotes"))
                continue
            }
            guard fields.count == columns.count else {
                problems.append(
                    Problem(line: number, reason: "\(fields.count) fields where the header has \(columns.count)"))
                continue
            }
            let row = Dictionary(
                zip(
                    columns,
                    fields.map { $0.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping }),
                uniquingKeysWith: { a, _ in a })
            switch unit(row) {
            case .success(let unit):
                if let first = seen[unit.ref] {
                    problems.append(Problem(line: number, reason: "\(unit.ref) repeats line \(first)"))
                } else {
                    seen[unit.ref] = number
                    units.append(unit)
                }
            case .failure(let reason):
                problems.append(Problem(line: number, reason: reason.message))
            }
        }
        // References can point forward in the file, so they are checked once every row is read.
        for unit in units {
            let line = seen[unit.ref] ?? 0
            for (what, reference) in [("parent", unit.parentRef), ("province", unit.provinceRef)] {
                if let reference, seen[reference] == nil {
                    problems.append(Problem(line: line, reason: "\(what) \(reference) is not in the file"))
                }
            }
        }
        if units.isEmpty && problems.isEmpty { problems.append(Problem(line: 1, reason: "the file has no units")) }
        return problems.isEmpty ? .success(units) : .failure(Problems(list: problems.sorted { $0.line < $1.line }))
    }

    struct Reason: Error {
        var message: String
    }

    static func unit(_ row: [String: String]) -> Result<AdminUnit, Reason> {
        func value(_ key: String) -> String? { row[key].flatMap { $0.isEmpty ? nil : $0 } }
        guard let editionText = value("edition"), let edition = Edition(rawValue: editionText) else {
            return .failure(Reason(message: "edition must be 2025 or legacy"))
        }
        guard let code = value("code"), code.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let level = UnitLevel(codeLength: code.count)
        else {
            return .failure(Reason(message: "code must be 2 (province), 3 (district) or 5 (commune) digits"))
        }
        if edition == .current && level == .district {
            return .failure(Reason(message: "the 2025 edition has no districts (code \(code))"))
        }
        guard let type = value("type"), AdminUnit.types.contains(type) else {
            return .failure(Reason(message: "type must be one of \(AdminUnit.types.joined(separator: ", "))"))
        }
        let levelTypes: [UnitLevel: Set<String>] = [
            .province: ["province", "city"], .district: ["district", "town", "city"],
            .commune: ["commune", "ward", "township", "special-zone"],
        ]
        guard levelTypes[level]!.contains(type) else {
            return .failure(Reason(message: "type \(type) does not fit a \(level.rawValue) code (\(code))"))
        }
        guard let name = value("name"), name.count <= 200 else {
            return .failure(Reason(message: "name is empty or longer than 200 characters"))
        }
        let parent = value("parent")
        let province = value("province")
        if level == .province {
            guard parent == nil, province == nil else {
                return .failure(Reason(message: "a province has no parent or province"))
            }
        } else {
            guard let parent, let province, province.count == 2 else {
                return .failure(Reason(message: "a \(level.rawValue) needs parent and a 2-digit province"))
            }
            let expectedParent = edition == .legacy && level == .commune ? 3 : 2
            guard parent.count == expectedParent else {
                return .failure(Reason(message: "parent \(parent) should have \(expectedParent) digits"))
            }
        }
        var numbers: [String: Double] = [:]
        for key in ["lat", "lon", "area_km2"] {
            guard let text = value(key) else { continue }
            guard let number = Double(text), number.isFinite else {
                return .failure(Reason(message: "\(key) \(text) is not a number"))
            }
            numbers[key] = number
        }
        if let lat = numbers["lat"], !(-90...90).contains(lat) { return .failure(Reason(message: "lat out of range")) }
        if let lon = numbers["lon"], !(-180...180).contains(lon) {
            return .failure(Reason(message: "lon out of range"))
        }
        return .success(
            AdminUnit(
                ref: UnitRef(edition, code), type: type, name: name, shortName: value("short_name") ?? name,
                parent: parent, province: province, latitude: numbers["lat"], longitude: numbers["lon"],
                areaKm2: numbers["area_km2"]))
    }
}

/// RFC 4180 fields of one line (quoted fields with doubled quotes); nil when the quotes do not balance.
enum CSV {
    static func fields(_ line: String) -> [String]? {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        if quoted { return nil }
        fields.append(field)
        return fields
    }
}
