import ArgumentParser
import CaseLineDomain
import CaseLineServer
import CaseLineStore
import Foundation

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Load data into a data directory (the server need not be stopped).",
        subcommands: [
            ImportUnits.self, ImportHouseholds.self, ImportLists.self, ImportCases.self, ImportTasks.self,
            ImportTotals.self,
        ])
}

/// `caseline-server import units FILE.csv`: an admin's own list of administrative units.
struct ImportUnits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Replace the administrative units with those of a CSV file, all or nothing.",
        discussion: """
            The file is UTF-8 CSV with a header row naming the columns edition, code, type, name, short_name,
            parent, province (and optionally lat, lon, area_km2). Every row is checked; if any is bad, every bad
            row is listed with its line number and nothing is loaded. Lineage links between units that remain are
            kept. Units that committees or assignments refer to must remain. A running server sees the new units
            after a restart.
            """)

    @Option(name: .long, help: "The data directory.")
    var data: String

    @Argument(help: "The CSV file.")
    var file: String

    func run() async throws {
        let directory = DataDirectory(url: URL(fileURLWithPath: data))
        let configuration = try directory.loadConfiguration(environment: ProcessInfo.processInfo.environment)
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(file) as UTF-8 text: \(error.localizedDescription)")
        }
        let units: [AdminUnit]
        switch UnitImport.parse(text) {
        case .success(let parsed): units = parsed
        case .failure(let problems):
            for problem in problems.list { FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8)) }
            throw ValidationError("\(problems.list.count) bad row(s); nothing was loaded")
        }
        let store = try await directory.openStore(configuration.store).store
        let present = Set(units.map(\.ref))
        var missing: [String] = []
        for committee in try await store.committees() where !present.contains(UnitRef(.current, committee.unit)) {
            missing.append("\(committee.id) is for unit \(committee.unit)")
        }
        for assignment in try await store.assignments(commune: nil, login: nil)
        where !present.contains(UnitRef(.current, assignment.commune)) {
            missing.append("\(assignment.id) is for commune \(assignment.commune)")
        }
        guard missing.isEmpty else {
            try await store.close()
            for line in missing {
                FileHandle.standardError.write(Data("\(file): \(line), which the file lacks\n".utf8))
            }
            throw ValidationError("the file leaves records without their unit; nothing was loaded")
        }
        let links = try await store.units().links.filter {
            present.contains(UnitRef(.legacy, $0.legacyCode)) && present.contains(UnitRef(.current, $0.currentCode))
        }
        try await store.replaceUnits(
            units, links: links,
            audit: AuditEntry(
                actor: .system("import"), command: "import units", entity: "unit:*",
                change:
                    "loaded \(units.count) units from \(URL(fileURLWithPath: file).lastPathComponent); kept \(links.count) lineage links"
            ))
        try await store.close()
        print("Loaded \(units.count) units (\(links.count) lineage links kept) into \(directory.url.path).")
    }
}

/// `caseline-server import households FILE.csv --campaign RC-n`: reviewers' survey sheets, on the server's
/// disk, into a review campaign — the same reading, checks and writing as `REVIEW IMPORT` (SurveyImporter),
/// for files too large for one protocol literal. Whoever holds the data directory acts as the commune's
/// review committee; the audit trail names the subcommand.
struct ImportHouseholds: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "households",
        abstract: "Import households, members and Phiếu B results into a review campaign, all or nothing.",
        discussion: """
            The file's format is Tools/samples/survey-import.md (UTF-8 CSV, one row per person). Every error is
            listed with its line and column and nothing is loaded; the same file imported again changes nothing.
            --dry-run checks everything and reports what would be created. A running server sees the new
            households at once.
            """)

    @Option(name: .long, help: "The data directory.")
    var data: String

    @Option(name: .long, help: "The review campaign (RC-n) the surveys go into.")
    var campaign: String

    @Flag(name: .long, help: "Check and count, keep nothing.")
    var dryRun = false

    @Argument(help: "The CSV file.")
    var file: String

    func run() async throws {
        let directory = DataDirectory(url: URL(fileURLWithPath: data))
        let configuration = try directory.loadConfiguration(environment: ProcessInfo.processInfo.environment)
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file)")
        }
        let store = try await directory.openStore(configuration.store).store
        do {
            guard let found = try await store.reviewCampaign(id: campaign) else {
                throw ValidationError("no review campaign \(campaign)")
            }
            let loaded = try await store.units()
            let today = SurveyImporter.today()
            let report = try await SurveyImporter.run(
                Array(bytes), source: URL(fileURLWithPath: file).lastPathComponent, campaign: found.id,
                expectedRevision: nil, dryRun: dryRun,
                by: .init(
                    actor: ReviewActor(login: "import", committeeCommunes: [found.commune]), audit: .system("import"),
                    command: "import households"),
                store: store, units: UnitDirectory(units: loaded.units, links: loaded.links),
                review: configuration.server.review, today: today)
            try await store.close()
            let verb = dryRun ? "Would import" : "Imported"
            print(
                "\(verb) \(report.households) households (\(report.outcome.created.count) new, "
                    + "\(report.outcome.unchanged.count) unchanged, \(report.outcome.members) members) into \(found.id): "
                    + "\(report.listed) listed, \(report.surveyed) surveyed.")
            // The first 20 warnings, and how many more: a sheet with a systematic problem would print thousands.
            for warning in report.warnings.prefix(20) {
                FileHandle.standardError.write(Data("\(file): warning: \(warning)\n".utf8))
            }
            if report.warnings.count > 20 {
                FileHandle.standardError.write(
                    Data("\(file): … and \(report.warnings.count - 20) more warnings\n".utf8))
            }
        } catch let error as DomainError {
            try? await store.close()
            for line in error.message.components(separatedBy: "; ") {
                FileHandle.standardError.write(Data("\(file): \(line)\n".utf8))
            }
            FileHandle.standardError.write(Data("nothing was loaded\n".utf8))
            throw ExitCode.failure
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// `caseline-server import lists FILE.csv`: a province's decided poor / near-poor lists of past years, under
/// the units they were made in (HistoryImporter; format Tools/samples/history-lists.md).
struct ImportLists: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists",
        abstract:
            "Import past years' decided poor / near-poor lists (households and their yearly classes), all or nothing.",
        discussion: """
            One row per household and list year, each naming its commune in either edition (a legacy commune
            stays legacy; a split one names its successor, which the household keeps). --members adds the
            households' members (one row each, naming the household as the lists file does). Every error is
            listed with its file, line and column and nothing is loaded; the same files imported again change
            nothing. --dry-run checks everything and reports what would be created.
            """)

    @Option(name: .long, help: "The data directory.")
    var data: String

    @Option(name: .long, help: "The households' members (CSV, Tools/samples/history-members.csv).")
    var members: String?

    @Flag(name: .long, help: "Check and count, keep nothing.")
    var dryRun = false

    @Argument(help: "The CSV file.")
    var file: String

    func run() async throws {
        var membersFile: HistoryImporter.MembersFile?
        if let members {
            guard let bytes = FileManager.default.contents(atPath: members) else {
                throw ValidationError("cannot read \(members)")
            }
            membersFile = HistoryImporter.MembersFile(
                bytes: Array(bytes), source: URL(fileURLWithPath: members).lastPathComponent)
        }
        // With two files, each refusal names its own file.
        try await ImportFile.run(data: data, file: file, named: members != nil) { bytes, store, units, configuration in
            let report = try await HistoryImporter.run(
                bytes, source: URL(fileURLWithPath: file).lastPathComponent, members: membersFile, dryRun: dryRun,
                actor: .system("import"), command: "import lists", store: store, units: units,
                review: configuration.server.review, today: SurveyImporter.today())
            return "\(dryRun ? "Would import" : "Imported") \(report.households) households (\(report.created) new, "
                + "\(report.unchanged) unchanged\(members == nil ? "" : "; \(report.members) members")) and "
                + "\(report.listsOpened) lists (\(report.assessments) assessments; \(report.listsUnchanged) lists "
                + "already imported)" + (report.created > 0 && !dryRun ? " as \(report.importID)." : ".")
        }
    }
}

/// `caseline-server import cases FILE.csv`: a province's decided cases of past years, under the units they were
/// made in (CaseImporter; format Tools/samples/history-cases.md).
struct ImportCases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Import past years' decided cases (support approved or rejected, with amounts), all or nothing.",
        discussion: """
            One row per case, naming its commune in either edition (a split legacy commune names its successor),
            with its decision: approved or rejected. No approval chain is run and no event raised. Every error is
            listed with its line and column and nothing is loaded; the same file imported again changes nothing.
            --dry-run checks everything and reports what would be created.
            """)

    @Option(name: .long, help: "The data directory.")
    var data: String

    @Option(
        name: .long,
        help: "The login recorded as the cases' creator (default: the administrator whose login sorts first).")
    var by: String?

    @Flag(name: .long, help: "Check and count, keep nothing.")
    var dryRun = false

    @Argument(help: "The CSV file.")
    var file: String

    func run() async throws {
        try await ImportFile.run(data: data, file: file) { bytes, store, units, _ in
            let report = try await CaseImporter.run(
                bytes, source: URL(fileURLWithPath: file).lastPathComponent, dryRun: dryRun,
                creator: try await ImportFile.creator(by, store), actor: .system("import"), command: "import cases",
                store: store, units: units, today: SurveyImporter.today())
            return "\(dryRun ? "Would import" : "Imported") \(report.created) cases (\(report.unchanged) already "
                + "imported, \(report.rows) rows) as \(report.importID)."
        }
    }
}

/// `caseline-server import tasks FILE.csv`: a province's tasks of past years (TaskImporter; format
/// Tools/samples/history-tasks.md).
struct ImportTasks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Import past years' tasks (done, cancelled or still open), all or nothing.",
        discussion: """
            One row per task, naming its commune in either edition (a split legacy commune names its successor).
            A done task's move to done is dated its done_date. No event is raised. Every error is listed with its
            line and column and nothing is loaded; the same file imported again changes nothing. --dry-run checks
            everything and reports what would be created.
            """)

    @Option(name: .long, help: "The data directory.")
    var data: String

    @Option(
        name: .long,
        help: "The login recorded as the tasks' creator (default: the administrator whose login sorts first).")
    var by: String?

    @Flag(name: .long, help: "Check and count, keep nothing.")
    var dryRun = false

    @Argument(help: "The CSV file.")
    var file: String

    func run() async throws {
        try await ImportFile.run(data: data, file: file) { bytes, store, units, _ in
            let report = try await TaskImporter.run(
                bytes, source: URL(fileURLWithPath: file).lastPathComponent, dryRun: dryRun,
                creator: try await ImportFile.creator(by, store), actor: .system("import"), command: "import tasks",
                store: store, units: units, today: SurveyImporter.today())
            return "\(dryRun ? "Would import" : "Imported") \(report.created) tasks (\(report.unchanged) already "
                + "imported, \(report.rows) rows) as \(report.importID)."
        }
    }
}

/// `caseline-server import totals FILE.csv`: resident households per commune and list year.
struct ImportTotals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "totals",
        abstract: "Import the communes' resident households per list year (the reports' denominators).",
        discussion: """
            UTF-8 CSV with a header naming unit, year, households, persons (optional) and source. A unit is a
            commune: legacy:CODE for list years up to 2025, the 2025 code from 2026. Every row is checked first;
            if any is bad, each is listed by line and column and nothing is loaded. A row equal to the recorded
            total is left alone (the same file twice changes nothing); a changed one replaces it, audited.
            """)

    @Option(name: .long, help: "The data directory.")
    var data: String

    @Flag(name: .long, help: "Check and count, keep nothing.")
    var dryRun = false

    @Argument(help: "The CSV file.")
    var file: String

    func run() async throws {
        try await ImportFile.run(data: data, file: file) { bytes, store, units, _ in
            let report = try await TotalsImporter.run(
                bytes, source: URL(fileURLWithPath: file).lastPathComponent, dryRun: dryRun, actor: .system("import"),
                store: store, units: units)
            return "\(dryRun ? "Would record" : "Recorded") \(report.written) totals; \(report.unchanged) unchanged"
                + " (\(report.rows) rows)."
        }
    }
}

/// What `import lists` and `import totals` share: the data directory's store, the file's bytes, and refusals
/// printed one per line ("FILE: line 4, column 2 …", or as the body names the files when `named`) with
/// "nothing was loaded" and a failing exit status.
enum ImportFile {
    /// The login imported records name as their creator: `--by`, which must exist, or the first administrator.
    static func creator(_ login: String?, _ store: any Store) async throws -> String {
        if let login {
            guard try await store.user(login: login) != nil else {
                throw DomainError(.invalid, "--by \(login): no such user")
            }
            return login
        }
        guard let admin = try await store.users().filter({ $0.role == .admin }).min(by: { $0.login < $1.login })
        else { throw DomainError(.invalid, "no administrator to record as the creator: name one with --by") }
        return admin.login
    }

    static func run(
        data: String, file: String, named: Bool = false,
        _ body: (_ bytes: [UInt8], _ store: any Store, _ units: UnitDirectory, _ configuration: Settings)
            async throws -> String
    ) async throws {
        let directory = DataDirectory(url: URL(fileURLWithPath: data))
        let configuration = try directory.loadConfiguration(environment: ProcessInfo.processInfo.environment)
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file)")
        }
        let store = try await directory.openStore(configuration.store).store
        do {
            let loaded = try await store.units()
            let summary = try await body(
                Array(bytes), store, UnitDirectory(units: loaded.units, links: loaded.links), configuration)
            try await store.close()
            print(summary)
        } catch let error as DomainError {
            try? await store.close()
            for line in error.message.components(separatedBy: "; ") {
                FileHandle.standardError.write(Data((named ? "\(line)\n" : "\(file): \(line)\n").utf8))
            }
            FileHandle.standardError.write(Data("nothing was loaded\n".utf8))
            throw ExitCode.failure
        } catch {
            try? await store.close()
            throw error
        }
    }
}
