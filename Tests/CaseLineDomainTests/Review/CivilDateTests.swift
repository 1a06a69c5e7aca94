import CaseLineDomain
import Foundation
import Testing

@Suite struct CivilDateTests {
    @Test(arguments: ["2026-09-01", "2024-02-29", "1970-01-01", "0001-01-01", "9999-12-31"])
    func validDatesReadAndPrintTheSame(_ text: String) {
        #expect(CivilDate(text)?.description == text)
    }

    @Test(arguments: [
        "2026-9-01", "2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-09-01", "2026/09/01",
        "２０２６-09-01", "", "0000-01-01",
    ])
    func malformedOrImpossibleDatesAreRefused(_ text: String) {
        #expect(CivilDate(text) == nil, "\(text)")
    }

    @Test func dayNumbersRoundTripAcrossCenturies() {
        for number in stride(from: Int64(-719_162), through: 2_932_896, by: 997) {  // 0001-01-01 … 9999-12-31
            let date = CivilDate(dayNumber: number)
            #expect(date.dayNumber == number)
            #expect(CivilDate(date.description) == date)
        }
    }

    @Test func weekdaysAndArithmetic() throws {
        let date = try #require(CivilDate("2026-12-14"))
        #expect(date.weekday == .monday)
        #expect(try #require(CivilDate("1970-01-01")).weekday == .thursday)
        #expect(date.adding(days: 18).description == "2027-01-01")
        #expect(date.days(until: try #require(CivilDate("2026-09-01"))) == -104)
        #expect(try #require(CivilDate("2026-09-01")) < date)
    }

    @Test func codableAsText() throws {
        let date = try #require(CivilDate("2026-11-24"))
        let data = try JSONEncoder().encode([date])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-11-24"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: data) == [date])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-02-30"]"#.utf8))
        }
    }
}

@Suite struct WorkingCalendarTests {
    static func date(_ text: String) -> CivilDate { CivilDate(text) ?? CivilDate(dayNumber: 0) }

    @Test func weekendsAndHolidaysAreNotCounted() {
        let calendar = WorkingCalendar(holidays: WorkingCalendar.fixedSolarHolidays(year: 2026))
        // Monday 2026-11-23: three working days after it end on Thursday.
        #expect(calendar.lastDay(ofWorkingDays: 3, after: Self.date("2026-11-23")) == Self.date("2026-11-26"))
        // Thursday: Friday, (weekend), Monday, Tuesday.
        #expect(calendar.lastDay(ofWorkingDays: 3, after: Self.date("2026-11-26")) == Self.date("2026-12-01"))
        // Posted on Saturday: Monday, Tuesday, Wednesday.
        #expect(calendar.lastDay(ofWorkingDays: 3, after: Self.date("2026-11-28")) == Self.date("2026-12-02"))
        // Posted Tuesday 1/9/2026; Wednesday 2/9 is National Day.
        #expect(calendar.lastDay(ofWorkingDays: 3, after: Self.date("2026-09-01")) == Self.date("2026-09-07"))
        #expect(calendar.workingDays(after: Self.date("2026-09-01"), through: Self.date("2026-09-07")) == 3)
        #expect(calendar.workingDays(after: Self.date("2026-09-07"), through: Self.date("2026-09-01")) == 0)
        #expect(calendar.lastDay(ofWorkingDays: 0, after: Self.date("2026-09-01")) == nil)
    }

    @Test func configuredHolidaysAndMakeUpDays() {
        var calendar = WorkingCalendar(
            holidays: [Self.date("2026-09-03")], workedWeekendDays: [Self.date("2026-09-05")])
        #expect(!calendar.isWorkingDay(Self.date("2026-09-03")))
        #expect(calendar.isWorkingDay(Self.date("2026-09-05")), "a worked Saturday")
        #expect(calendar.lastDay(ofWorkingDays: 2, after: Self.date("2026-09-02")) == Self.date("2026-09-05"))
        calendar.weekend = Set(Weekday.allCases)
        calendar.workedWeekendDays = []
        #expect(calendar.lastDay(ofWorkingDays: 1, after: Self.date("2026-09-02")) == nil, "no working day at all")
    }

    @Test func theCountMatchesTheLastDayOnManyStarts() {
        let calendar = WorkingCalendar(holidays: WorkingCalendar.fixedSolarHolidays(year: 2026))
        var start = Self.date("2026-08-01")
        for _ in 0..<200 {
            for count in 1...5 {
                guard let last = calendar.lastDay(ofWorkingDays: count, after: start) else {
                    Issue.record("no last day")
                    continue
                }
                #expect(calendar.workingDays(after: start, through: last) == count)
                #expect(calendar.isWorkingDay(last))
                #expect(calendar.workingDays(after: start, through: last.adding(days: -1)) == count - 1)
            }
            start = start.adding(days: 1)
        }
    }
}
