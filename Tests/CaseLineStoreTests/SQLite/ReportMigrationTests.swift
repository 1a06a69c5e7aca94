import Foundation
import GRDB
import Testing

@testable import CaseLineStoreSQLite

/// v16 keeps what REPORT POVERTY reads as integers beside each assessment; a store made before it gets them
/// for the rows it already has, and its assessments stay append-only afterwards.
@Suite("SQLite migration of report integers")
struct ReportMigrationTests {
    @Test func assessmentsKeptBeforeV16GetTheirIntegersAndStayAppendOnly() throws {
        let queue = try DatabaseQueue()
        try Migrations.migrator.migrate(queue, upTo: "v15-report-index")
        try queue.write { db in
            for (household, campaign, klass, date) in [
                ("HH-12", "RC-3", "poor", "2025-12-20"), ("HH-7", "RC-10", "near-poor", "2026-01-05"),
                ("HH-7", "RC-11", "none", "2026-02-01"),
            ] {
                try db.execute(
                    sql: """
                        INSERT INTO review_assessment (household, campaign, kind, review_year, list_year, commune,
                            village, class, decision_date, persons, body, recorded_at)
                        VALUES (?, ?, 'periodic', 2025, 2026, '02014', 'Thôn 1', ?, ?, 3, '{}', '2026-01-01T00:00:00Z')
                        """, arguments: [household, campaign, klass, date])
            }
        }
        try Migrations.migrator.migrate(queue)
        let rows = try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT household_no, decision_day, campaign_no, class_code FROM review_assessment
                    ORDER BY household_no, campaign_no
                    """)
        }
        #expect(rows.map { $0[0] as Int } == [7, 7, 12])
        #expect(rows.map { $0[1] as Int } == [20_260_105, 20_260_201, 20_251_220])
        #expect(rows.map { $0[2] as Int } == [10, 11, 3])
        #expect(rows.map { $0[3] as Int } == [2, 0, 1])
        #expect(throws: (any Error).self) {
            try queue.write { db in try db.execute(sql: "UPDATE review_assessment SET class = 'poor'") }
        }
        #expect(throws: (any Error).self) {
            try queue.write { db in try db.execute(sql: "DELETE FROM review_assessment") }
        }
    }
}
