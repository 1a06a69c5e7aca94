public import CaseLineDomain
import CaseLineStore
import Foundation

extension PostgresStore {
    public func units() async throws -> (units: [AdminUnit], links: [UnitLink]) {
        try await snapshot { session in
            let units = try await session.rows("SELECT * FROM unit").map { row in
                AdminUnit(
                    ref: UnitRef(Edition(rawValue: row["edition"]) ?? .legacy, row["code"]), type: row["type"],
                    name: row["name"], shortName: row["short_name"], parent: row["parent"],
                    province: row["province"], latitude: row["lat"], longitude: row["lon"], areaKm2: row["area_km2"])
            }
            let links = try await session.rows("SELECT * FROM unit_link").map { row in
                UnitLink(
                    legacyCode: row["legacy_code"], currentCode: row["current_code"], split: row["split"],
                    primary: row["is_primary"])
            }
            return (units, links)
        }
    }

    /// Rows go in batches of one multi-row INSERT each: some 14,000 units one statement at a time would be
    /// 14,000 round trips.
    public func replaceUnits(_ units: [AdminUnit], links: [UnitLink], audit: AuditEntry) async throws {
        let now = clock()
        try await write { session in
            try await session.execute("DELETE FROM unit")
            try await session.execute("DELETE FROM unit_link")
            let unitRows: [[any SQLValue]] = units.map { unit in
                [
                    unit.ref.edition.rawValue, unit.ref.code, unit.type, unit.name, unit.shortName, unit.parent,
                    unit.province, unit.latitude, unit.longitude, unit.areaKm2,
                ]
            }
            try await Self.insert(
                "unit (edition, code, type, name, short_name, parent, province, lat, lon, area_km2)", unitRows,
                session)
            let linkRows: [[any SQLValue]] = links.map { [$0.legacyCode, $0.currentCode, $0.split, $0.primary] }
            try await Self.insert("unit_link (legacy_code, current_code, split, is_primary)", linkRows, session)
            try await Journal.append(audit, at: now, in: session)
        }
    }

    /// `INSERT INTO target VALUES (…), (…) …` in batches that stay under the protocol's 65,535 parameters.
    static func insert(_ target: String, _ rows: [[any SQLValue]], _ session: SQLSession) async throws {
        guard let width = rows.first?.count, width > 0 else { return }
        let batch = max(1, 60_000 / width)
        var start = 0
        while start < rows.count {
            let slice = rows[start..<min(start + batch, rows.count)]
            let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            try await session.execute(
                "INSERT INTO \(target) VALUES " + Array(repeating: tuple, count: slice.count).joined(separator: ", "),
                slice.flatMap { $0 })
            start += batch
        }
    }
}
