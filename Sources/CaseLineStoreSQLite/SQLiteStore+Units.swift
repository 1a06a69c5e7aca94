public import CaseLineDomain
import CaseLineStore
import Foundation
import GRDB

extension SQLiteStore {
    public func units() async throws -> (units: [AdminUnit], links: [UnitLink]) {
        try await writer.read { db in
            let units = try Row.decodeAll(try db.cachedStatement(sql: "SELECT * FROM unit")) { row in
                AdminUnit(
                    ref: UnitRef(Edition(rawValue: row["edition"]) ?? .legacy, row["code"]), type: row["type"],
                    name: row["name"], shortName: row["short_name"], parent: row["parent"],
                    province: row["province"], latitude: row["lat"], longitude: row["lon"], areaKm2: row["area_km2"])
            }
            let links = try Row.decodeAll(try db.cachedStatement(sql: "SELECT * FROM unit_link")) { row in
                UnitLink(
                    legacyCode: row["legacy_code"], currentCode: row["current_code"], split: row["split"],
                    primary: row["is_primary"])
            }
            return (units, links)
        }
    }

    public func replaceUnits(_ units: [AdminUnit], links: [UnitLink], audit: AuditEntry) async throws {
        let now = clock()
        try await write { db in
            try db.execute(sql: "DELETE FROM unit; DELETE FROM unit_link")
            let insertUnit = try db.makeStatement(
                sql: """
                    INSERT INTO unit (edition, code, type, name, short_name, parent, province, lat, lon, area_km2)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for unit in units {
                try insertUnit.execute(arguments: [
                    unit.ref.edition.rawValue, unit.ref.code, unit.type, unit.name, unit.shortName, unit.parent,
                    unit.province, unit.latitude, unit.longitude, unit.areaKm2,
                ])
            }
            let insertLink = try db.makeStatement(
                sql: "INSERT INTO unit_link (legacy_code, current_code, split, is_primary) VALUES (?, ?, ?, ?)")
            for link in links {
                try insertLink.execute(arguments: [link.legacyCode, link.currentCode, link.split, link.primary])
            }
            try AuditChain.append(audit, at: now, in: db)
        }
    }
}
