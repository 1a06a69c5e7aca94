import ArgumentParser
import CaseLineDomain
import CaseLineServer
import CaseLineStore
import CaseLineStorePostgres
import CaseLineStoreSQLite
import Foundation

/// `caseline-server store …`: moving a province's data between backends.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Move a store between backends.", subcommands: [StoreCopy.self])
}

/// Copies a data directory's SQLite store into an empty PostgreSQL store, unchanged (ids, revisions, times,
/// events, idempotency keys, the audit chain record for record), then checks it: every table's count equal on
/// both sides, the chain verified on the target with the source's head, the same event numbers. Run it with
/// the server stopped (it reads one snapshot; writes made meanwhile would not be copied).
struct StoreCopy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a data directory's SQLite store into an empty PostgreSQL store, then verify it.",
        discussion: """
            The password of the PostgreSQL store comes from --password-file or CASELINE_STORE_PASSWORD, never
            from the command line. The target must be empty; the copy is one transaction (all or nothing).
            Afterwards, set store.url (and store.password-file) in each node's caseline.conf.
            """)

    @Option(name: .long, help: "The data directory whose SQLite store is copied.")
    var from: String

    @Option(name: .long, help: "The PostgreSQL store, postgres://USER@HOST:PORT/DATABASE[?sslmode=…].")
    var to: String

    @Option(name: .long, help: "A file holding the PostgreSQL password (first line).")
    var passwordFile: String?

    func run() async throws {
        let directory = try DataDirectory.existing(from)
        let settings = try directory.loadConfiguration(environment: ProcessInfo.processInfo.environment)
        guard settings.store.url.isEmpty else {
            throw CLIError("\(from) already uses the PostgreSQL store \(settings.store.url); there is nothing to copy")
        }
        var password = ProcessInfo.processInfo.environment["CASELINE_STORE_PASSWORD"]
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw CLIError("cannot read \(passwordFile)")
            }
            password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
        }
        let target = try PostgresStoreConfiguration(url: to, password: password)
        let source = try SQLiteStore(path: directory.resolve(settings.store.path).path)
        let export: StoreExport
        let sourceAudit: AuditVerification
        let sourceEvents: EventBounds
        do {
            export = try await source.export()
            sourceAudit = try await source.verifyAudit()
            sourceEvents = try await source.eventBounds()
            try await source.close()
        } catch {
            try? await source.close()
            throw error
        }
        guard sourceAudit.firstBroken == nil else {
            throw CLIError(
                "the source's audit chain is broken at record \(sourceAudit.firstBroken ?? 0); not copying it")
        }

        let store = try await PostgresStore.open(target)
        do {
            try await store.load(export)
            try await Self.verify(
                store, export: export, audit: sourceAudit, events: sourceEvents, target: target.description)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Counts, chain and event bounds equal on both sides, or the command fails saying what differs.
    static func verify(
        _ store: PostgresStore, export: StoreExport, audit: AuditVerification, events: EventBounds, target: String
    ) async throws {
        let counts = try await store.tableCounts()
        var problems: [String] = []
        for table in export.tables where counts[table.name] != table.rows.count {
            problems.append("\(table.name): \(table.rows.count) rows in the source, \(counts[table.name] ?? 0) copied")
        }
        let copied = try await store.verifyAudit()
        if copied.firstBroken != nil || copied.records != audit.records || copied.head != audit.head {
            problems.append(
                "audit: \(audit.records) records ending \(audit.head) in the source, \(copied.records) ending "
                    + "\(copied.head) copied (first broken: \(copied.firstBroken.map(String.init) ?? "none"))")
        }
        let copiedEvents = try await store.eventBounds()
        if copiedEvents != events {
            problems.append("events: \(events) in the source, \(copiedEvents) copied")
        }
        guard problems.isEmpty else { throw CLIError("the copy differs:\n  " + problems.joined(separator: "\n  ")) }
        let rows = export.tables.map(\.rows.count).reduce(0, +)
        print(
            """
            Copied \(rows) rows in \(export.tables.count) tables to \(target).
            Verified: every table's count; the audit chain, \(copied.records) records, head \(copied.head) as in the \
            source; events through \(copiedEvents.head) (dropped through \(copiedEvents.droppedThrough)).
            """)
    }
}
