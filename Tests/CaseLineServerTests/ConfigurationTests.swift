import CaseLineDomain
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import Testing

@Suite("Configuration and error vocabulary")
struct ConfigurationTests {
    @Test func theDefaultFileReadsBackToTheDefaults() throws {
        let defaults = Settings()
        var read = Settings()
        read.server.listen.port = 1
        read.server.limits.framing = .init(maxLineBytes: 200, maxLiteralBytes: 1, maxCommandBytes: 300)
        read.server.timeouts.idle = .seconds(5)
        read.store.path = "elsewhere.sqlite"
        try ConfigurationLoader.apply(file: ConfigurationLoader.defaultFile(for: defaults), named: "x", to: &read)
        for (key, _) in ConfigurationLoader.keys {
            #expect(
                ConfigurationLoader.value(of: key, in: read) == ConfigurationLoader.value(of: key, in: defaults),
                "\(key)")
        }
    }

    @Test func everyKeyIsWrittenWithAComment() {
        let text = ConfigurationLoader.defaultFile(for: Settings())
        for (key, comment) in ConfigurationLoader.keys {
            #expect(text.contains("# \(comment)\n\(key) = "))
        }
    }

    @Test(arguments: [
        ("listen.port = 70000", "listen.port must be a whole number"), ("nonsense = 1", "unknown setting nonsense"),
        ("listen.port", "expected key = value"), ("log.level = loud", "log.level must be"),
        ("tls.client-certificates = always", "tls.client-certificates must be none or optional"),
        ("review.periodic-standards = 2026:nd99", "is not YEAR:STANDARD (standards: nd07-2021, nd351-2025)"),
        ("review.holidays = 2026-02-30", "2026-02-30 is not YYYY-MM-DD"),
        ("review.special-zone-area = sea", "review.special-zone-area must be rural, urban or none"),
    ])
    func badLinesNameTheirLine(line: String, message: String) {
        var configuration = Settings()
        do {
            try ConfigurationLoader.apply(file: "# comment\n\n\(line)\n", named: "caseline.conf", to: &configuration)
            Issue.record("accepted \(line)")
        } catch {
            #expect(error.description.hasPrefix("caseline.conf:3: "))
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    /// The review settings reach what the campaign machine is given: the standard of a review year and the
    /// working days of a posting.
    @Test func reviewSettingsChangeTheStandardAndTheWorkingDays() throws {
        var settings = Settings()
        let review = settings.server.review
        #expect(try review.catalog.standard(kind: .periodic, reviewYear: 2026).get().id == "nd351-2025")
        // Friday 2026-12-04: three working days after it end on Wednesday the 9th.
        let friday = CivilDate(year: 2026, month: 12, day: 4)!
        #expect(review.calendar.lastDay(ofWorkingDays: 3, after: friday) == CivilDate(year: 2026, month: 12, day: 9))
        try ConfigurationLoader.apply(
            file: "review.periodic-standards = 2026:nd07-2021\nreview.holidays = 2026-12-07\n"
                + "review.special-zone-area = rural\n", named: "f", to: &settings)
        #expect(try settings.server.review.catalog.standard(kind: .periodic, reviewYear: 2026).get().id == "nd07-2021")
        #expect(
            settings.server.review.calendar.lastDay(ofWorkingDays: 3, after: friday)
                == CivilDate(year: 2026, month: 12, day: 10))
        #expect(settings.server.review.specialZoneArea == .rural)
        #expect(ConfigurationLoader.value(of: "review.periodic-standards", in: settings) == "2026:nd07-2021")
    }

    @Test func environmentOverridesTheFile() throws {
        var configuration = Settings()
        try ConfigurationLoader.apply(file: "listen.port = 1000\n", named: "f", to: &configuration)
        try ConfigurationLoader.apply(
            environment: ["CASELINE_LISTEN_PORT": "2000", "CASELINE_LIMITS_MAX_LINE": "4096"], to: &configuration)
        #expect(configuration.server.listen.port == 2000)
        #expect(configuration.server.limits.framing.maxLineBytes == 4096)
        #expect(throws: ConfigurationLoader.Failure.self) {
            try ConfigurationLoader.apply(environment: ["CASELINE_TIMEOUTS_IDLE": "soon"], to: &configuration)
        }
        // Durations are read as seconds (or days) and kept as Duration.
        try ConfigurationLoader.apply(
            environment: ["CASELINE_TIMEOUTS_IDLE": "90", "CASELINE_EVENTS_RETENTION_DAYS": "2"], to: &configuration)
        #expect(configuration.server.timeouts.idle == .seconds(90))
        #expect(configuration.server.events.retention == .seconds(2 * 86_400))
    }

    @Test(arguments: DomainError.Code.allCases)
    func everyDomainCodeIsAProtocolCode(_ code: DomainError.Code) {
        #expect(ErrorCode(rawValue: code.rawValue) != nil)
    }
}
