import Foundation
import Testing

@testable import CaseLineServer

/// The server's day is Vietnam's (UTC+7) and is cached; the cache must never answer for another day.
@Suite("The server's day")
struct ServerDayTests {
    @Test func theDayTurnsAtMidnightInVietnamAndTheCacheFollows() {
        func day(_ text: String) -> String { ServerEnvironment.day(ISO8601DateFormatter().date(from: text)!) }
        #expect(day("2026-11-25T16:59:59Z") == "2026-11-25")
        #expect(day("2026-11-25T17:00:00Z") == "2026-11-26")
        #expect(day("2026-11-25T16:59:59Z") == "2026-11-25")
        #expect(day("2026-12-31T17:00:00Z") == "2027-01-01")
        #expect(day("2024-02-28T17:00:00Z") == "2024-02-29")
        #expect(day("2026-11-26T16:59:59Z") == "2026-11-26")
        #expect(day("2026-11-26T02:00:00Z") == "2026-11-26")
    }
}
