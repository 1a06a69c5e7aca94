import Foundation
import Testing

@testable import CaseLineDomain

/// The arithmetic conversions must agree with Foundation's ISO 8601 style to the second.
struct TimestampTests {
    @Test func formatAgreesWithFoundationOverFourCenturies() {
        var generator = SystemRandomNumberGenerator()
        let earliest = -2_208_988_800.0  // 1900-01-01
        let latest = 13_569_465_600.0  // 2400-01-01
        var samples = (0..<20_000).map { _ in Double.random(in: earliest..<latest, using: &generator) }
        samples += [0, -1, 86_399, 86_400, 951_782_400, 951_868_800, 4_107_542_399.75, -0.5]
        for seconds in samples {
            let date = Date(timeIntervalSince1970: seconds)
            let expected = date.formatted(.iso8601)
            #expect(Timestamp.format(date) == expected, "\(seconds)")
            #expect(Timestamp.parse(expected) == Date(timeIntervalSince1970: seconds.rounded(.down)), "\(expected)")
        }
    }

    @Test func leapDaysAndMonthEnds() {
        #expect(Timestamp.parse("2024-02-29T23:59:59Z") == Date(timeIntervalSince1970: 1_709_251_199))
        #expect(Timestamp.parse("2000-02-29T00:00:00Z") == Date(timeIntervalSince1970: 951_782_400))
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_709_251_200)) == "2024-03-01T00:00:00Z")
        #expect(Timestamp.fastParse("2026-02-29T00:00:00Z") == nil)
        #expect(Timestamp.fastParse("1900-02-29T00:00:00Z") == nil)
        #expect(Timestamp.fastParse("2026-04-31T00:00:00Z") == nil)
        #expect(Timestamp.fastParse("2026-12-31T23:59:59Z") != nil)
    }

    @Test(arguments: [
        "", "2026-11-24", "2026-11-24T03:15:00", "2026-11-24T03:15:00z", "2026-11-24 03:15:00Z",
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T03:60:00Z",
        "2026-11-24T03:15:60Z", "2026-1a-24T03:15:00Z", "２026-11-24T03:15:00Z", "2026-11-24T03:15:00Z ",
    ])
    func anythingElseIsNotTakenByTheFastPath(_ text: String) {
        #expect(Timestamp.fastParse(text) == nil)
    }

    @Test func otherISOShapesStillParse() {
        #expect(Timestamp.parse("2026-11-24T10:15:00+07:00") == Timestamp.parse("2026-11-24T03:15:00Z"))
        #expect(Timestamp.parse("not a time") == nil)
    }
}
