import CaseLineDomain
import CaseLineProtocol

/// The period of a dated report (`REPORT WORK`, the money and output reports): a year, one of its halves
/// (sơ kết: the first six months; tổng kết: the year), or a date range, first and last days included.
struct ReportPeriod: Sendable, Hashable {
    var first: CivilDate
    var last: CivilDate

    static let period = Param.text("period", max: 7)
    static let from = Param.date("from")
    static let through = Param.date("through")
    static let options: [any ParameterDeclaration] = [period, from, through]

    /// `period=YYYY|YYYY-H1|YYYY-H2`, or `from=` and `through=`; the current year when none is given.
    static func resolve(_ input: CommandInput, today: CivilDate) throws -> ReportPeriod {
        switch (input[period], input[from], input[through]) {
        case (nil, nil, nil):
            return ReportPeriod(first: CivilDate(year: today.year, month: 1, day: 1)!, last: today)
        case (let text?, nil, nil):
            return try parse(text)
        case (nil, let start?, let end?):
            guard let first = CivilDate(start), let last = CivilDate(end) else {
                throw DomainError(.invalid, "from= and through= are dates")
            }
            guard first <= last else { throw DomainError(.invalid, "through= is before from=") }
            return ReportPeriod(first: first, last: last)
        default:
            throw DomainError(.invalid, "give period=YYYY, period=YYYY-H1 or -H2, or from= and through=")
        }
    }

    static func parse(_ text: String) throws -> ReportPeriod {
        let parts = text.uppercased().split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts[0].count == 4, let year = Int(parts[0]), (2000...2100).contains(year)
        else { throw DomainError(.invalid, "period= is YYYY, YYYY-H1 or YYYY-H2 (e.g. 2024-H1)") }
        let start = CivilDate(year: year, month: 1, day: 1)!
        let middle = CivilDate(year: year, month: 6, day: 30)!
        let july = CivilDate(year: year, month: 7, day: 1)!
        let end = CivilDate(year: year, month: 12, day: 31)!
        if parts.count == 1 { return ReportPeriod(first: start, last: end) }
        switch parts[1] {
        case "H1": return ReportPeriod(first: start, last: middle)
        case "H2": return ReportPeriod(first: july, last: end)
        default: throw DomainError(.invalid, "period= is YYYY, YYYY-H1 or YYYY-H2 (e.g. 2024-H1)")
        }
    }

    func contains(_ day: CivilDate) -> Bool { first <= day && day <= last }
}
