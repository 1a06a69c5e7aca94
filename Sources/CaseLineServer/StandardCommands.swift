import CaseLineDomain
import CaseLineProtocol

/// STANDARD LIST (CLP1.md §10.8): the poverty standards this server classifies by, so that a script can learn
/// which standard a year falls under, its income lines and the indicators `deprived=` may name, instead of
/// copying them from the decree.
enum StandardCommands {
    static let year = Param.number("year", 2000...2100)

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "STANDARD LIST", group: .households,
            summary: "List the poverty standards, their years, income lines and indicators.", options: [year],
            access: .authenticated, reach: .anywhere, who: "any authenticated role.", handler: list)
    ]

    static func record(_ standard: PovertyStandard) -> Record {
        Record(
            "STANDARD",
            [
                Field("name", standard.name), Field("decree", standard.decree),
                Field("from", String(standard.years.lowerBound)), Field("through", String(standard.years.upperBound)),
                Field("rural-line", String(standard.ruralLine)), Field("urban-line", String(standard.urbanLine)),
                Field("poor-deprivations", String(standard.poorDeprivations)),
                Field("indicators", standard.indicators.map(\.rawValue).joined(separator: ",")),
            ])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        guard let year = input[year] else {
            let records = PovertyStandard.all.map(record)
            return .ok("\(records.count) standards", records)
        }
        guard let standard = PovertyStandard.covering(year) else {
            throw DomainError(.notFound, "no poverty standard covers \(year)")
        }
        return .ok("\(year) falls under standard \(standard.name)", [record(standard)])
    }
}
