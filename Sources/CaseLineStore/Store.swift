public import CaseLineDomain
public import Foundation

/// Everything the server keeps, behind one async interface so that the SQLite store and (next) a PostgreSQL
/// store are interchangeable. The server relies on what this contract states and on nothing a backend
/// happens to do; the contract suite (Tests/CaseLineStoreTests) checks every requirement and every guarantee
/// against each backend in its `StoreBackend` list.
///
/// # Guarantees every backend keeps
///
/// These held in the SQLite store because it has one writer; a backend with concurrent writers must keep
/// them by its own means (locks, constraints, serialisable transactions), never by assuming one writer.
///
/// **1. One transaction per change, with its audit.** Every method that changes something appends its audit
/// record(s) in the same transaction, together with the events the audit entry carries (`AuditEntry.events`)
/// and the idempotency record of its claim: all of it is committed or none of it is. A refused write (it
/// throws) changes nothing: no row, no audit record, no event, no idempotency record. The writes that keep
/// no audit record are named in their documentation (`clearLoginFailures`, `touchToken`, `recordLogin`,
/// `dropEvents`, `recordDeadlines`, and `revokeToken` of a token already revoked).
/// `recordDeadlines` takes notices of tasks (`T-n`) and of review campaigns (`RC-n`) alike.
///
/// **2. An acknowledged write is durable.** When a writing method returns, its transaction is on stable
/// storage: it survives `kill -9` and a power cut. A backend that cannot promise this refuses to open
/// (`StoreSetupError`) rather than run without it. Writes may share a commit (group commit), never an answer
/// given before the commit.
///
/// **3. Events are numbered in commit order, without gaps.** Event numbers (`Event.sequence`) are 1, 2, 3 …
/// in the order the transactions that raised them commit; the events of one transaction are consecutive, in
/// the order of `AuditEntry.events`. At no moment can a reader see event n+1 while event n (not dropped) is
/// invisible: a transaction that took a number and has not committed holds back every later number. So a
/// reader may keep the highest number it has seen, N, and ask `events(after: N, …)` again later: what comes
/// back is everything committed since, and nothing committed earlier can appear below N afterwards (a live
/// `WATCH` and `WATCH since=N` never skip a late-committing event). Numbers are never reused, not even after
/// `dropEvents`. `eventsWritten` ticks after the commit, so a reader woken by it finds the new events.
///
/// **4. One audit chain, never forked.** Audit records are numbered 1, 2, 3 … without gaps, in commit order,
/// and each one's hash covers the previous record's hash (`AuditChain`). Reading the head and appending after
/// it happen in one transaction that no other append can interleave with, whatever the number of writers,
/// processes or nodes: two writers never both append after the same head. The trail is append-only;
/// `verifyAudit` recomputes the whole chain.
///
/// **5. Uniqueness rules hold under concurrent writers.** Each is checked inside the writing transaction (and
/// by a constraint where the schema can state it), so that of two racing writers one is refused:
/// - one user per login (`createUser`: `ALREADY-EXISTS`);
/// - one user per certificate fingerprint (`setCertificateFingerprint`, `saveUser`: `ALREADY-EXISTS`);
/// - one steering committee per unit (`createCommittee`: `ALREADY-EXISTS committee=CM-n`);
/// - one current seat per member of a committee (`addMember`: `ALREADY-EXISTS`);
/// - one current chair per committee (`addMember`: `INVALID`);
/// - at most one active lead per commune over overlapping dates (`createAssignment`, `reassignLead`:
///   `LEAD-EXISTS`);
/// - one open assignment of a member per commune (`createAssignment`: `ALREADY-EXISTS`);
/// - open delegations of one delegator never overlap (`createDelegation`: `INVALID`);
/// - one household per head's ID number (`createHousehold`, `saveHousehold`: `ALREADY-EXISTS household=HH-n`);
/// - one idempotency record per (login, key): a later claim with the same key replaces it;
/// - each deadline notice (task, kind, due date) raises its event once, however many callers race
///   (`recordDeadlines`);
/// - one assessment in force per household and year; one approval chain per case kind (both replaced);
/// - one periodic review campaign per commune and review year, one ad-hoc campaign per commune and review
///   day (`openReviewCampaign`: `ALREADY-EXISTS campaign=RC-n`); one certificate per number, commune and year
///   of issue, and one assessment per household and campaign (`saveReviewCampaign`: `ALREADY-EXISTS`);
///   one holding of an office by a login over any day (`assignOffice`: `INVALID`);
/// - the funding ledger balances: disbursed + carried out never exceeds an allocation without an override
///   (`createAllocation`, `recordDisbursement`: `INVALID available=N`).
///
/// **6. Compare-and-swap revisions.** Every versioned entity (user, committee, assignment, task, case,
/// chain, delegation, household, review campaign) starts at revision 1 and each change raises it by one. A write given an
/// expected revision writes only if the stored revision is still that one; otherwise it throws `CONFLICT`
/// with the detail `current=N` (the stored revision) and changes nothing. An entity that does not exist is
/// `NOT-FOUND`. Where the expected revision is optional, nil writes whatever the revision.
///
/// **7. Ids and times are the store's.** Created entities get `PREFIX-n` ids (`EntityID`), n increasing and
/// never reused; times are the store's clock at the write, to the second (`Timestamp`).
/// What opening a review campaign writes, built once the store has chosen the campaign's id: the machine's
/// opening step and the audit entry (with its events) that goes with it.
public struct ReviewOpening: Sendable {
    public var step: ReviewStep
    public var audit: AuditEntry

    public init(step: ReviewStep, audit: AuditEntry) {
        self.step = step
        self.audit = audit
    }
}

/// One household of an import file as the store writes it: its key (`commune/reference`) and fingerprint,
/// and either the known household it names or the household and members to create.
public struct HouseholdImport: Sendable, Hashable {
    public var key: String
    /// What a later import of the household must match. `HEAD+MEMBERS` (a `+`) when the file states the
    /// household's members apart from the rest: a later file stating none (`HEAD`, no `+`) matches it too.
    public var fingerprint: String
    /// `HH-n` when the file names a household CaseLine knows: nothing of it is created or changed.
    public var existing: String?
    /// The household to create (head and all) when `existing` is nil.
    public var household: Household
    /// Its members (their `household` is filled in by the store).
    public var members: [HouseholdMember]
    /// The file's lines, for the audit record.
    public var lines: [Int]
    /// Where the files describe the household, for the audit record and refusals, when more than `lines`
    /// says (`lists.csv lines 2–3, members.csv lines 4–6`); nil: `lines 2–3`.
    public var origin: String?
    /// Where the household came from (file, first line, import run), kept with its key when it is created
    /// (`householdImportMark`).
    public var mark: ImportMark?

    public init(
        key: String, fingerprint: String, existing: String?, household: Household, members: [HouseholdMember],
        lines: [Int], origin: String? = nil, mark: ImportMark? = nil
    ) {
        self.mark = mark
        self.key = key
        self.fingerprint = fingerprint
        self.existing = existing
        self.household = household
        self.members = members
        self.lines = lines
        self.origin = origin
    }

    /// Whether a household imported before with `stored` is this one unchanged: the same fingerprint, or
    /// the same head with members when this file states none.
    public func matches(_ stored: String) -> Bool {
        stored == fingerprint || (!fingerprint.contains("+") && stored.hasPrefix(fingerprint + "+"))
    }

    /// `lines 3–7` or `line 12`, or the origin given.
    public var place: String {
        if let origin { return origin }
        guard let first = lines.min(), let last = lines.max() else { return "line ?" }
        return first == last ? "line \(first)" : "lines \(first)–\(last)"
    }
}

/// What an import does to review campaigns, once its households have ids.
public struct ImportSteps: Sendable {
    /// A step on the campaign the import goes into.
    public var update: ReviewOpening?
    /// Campaigns to open, each built once the store has chosen its id.
    public var open: [@Sendable (String) throws -> ReviewOpening]

    public init(update: ReviewOpening? = nil, open: [@Sendable (String) throws -> ReviewOpening] = []) {
        self.update = update
        self.open = open
    }
}

/// What an import did (or, in a dry run, would do).
public struct HouseholdImportOutcome: Sendable, Hashable {
    /// Key → household id, for every household of the file.
    public var ids: [String: String]
    /// Keys of the households created now.
    public var created: [String]
    /// Keys of households imported before, unchanged.
    public var unchanged: [String]
    public var members: Int
    /// The campaign after the import's step, when it made one.
    public var campaign: ReviewCampaign?
    /// The campaigns the import opened.
    public var opened: [ReviewCampaign]

    public init(
        ids: [String: String], created: [String], unchanged: [String], members: Int, campaign: ReviewCampaign?,
        opened: [ReviewCampaign] = []
    ) {
        self.ids = ids
        self.created = created
        self.unchanged = unchanged
        self.members = members
        self.campaign = campaign
        self.opened = opened
    }
}

public protocol Store: Sendable {
    // MARK: Users
    /// The user with this login, or nil.
    func user(login: String) async throws -> User?
    /// The user and their password hash, for authentication; nil when no user has the login.
    func credentials(login: String) async throws -> (user: User, passwordHash: String)?
    /// The user whose client certificate has this fingerprint, or nil.
    func user(certificateFingerprint: String) async throws -> User?
    /// How many users exist, disabled ones included.
    func userCount() async throws -> Int
    /// Creates the user at revision 1, stamped `created`; `ALREADY-EXISTS login=…` when the login is taken.
    func createUser(_ user: User, passwordHash: String, audit: AuditEntry) async throws
    /// Replaces the password hash and the must-change flag and raises the revision; `NOT-FOUND` for no user.
    func setPassword(login: String, passwordHash: String, mustChange: Bool, audit: AuditEntry) async throws
    /// Maps a client certificate (SHA-256 of its DER, lower-case hex) to the user, or removes the mapping (nil),
    /// and raises the revision; `ALREADY-EXISTS` when another user has the fingerprint, `NOT-FOUND` for no user.
    func setCertificateFingerprint(login: String, fingerprint: String?, audit: AuditEntry) async throws

    // MARK: Failed logins (per user name, whether or not the account exists; LoginThrottle has the rule)
    /// The name's failures from everywhere, and the lock in force for this address, if any.
    func loginState(name: String, address: String) async throws -> LoginState
    /// Records a failure of the name from the address under `throttle`'s rule, in one transaction with its
    /// audit record; `lockEvents` are raised only when this failure starts a lock (the audit change then says
    /// so). Returns the new state, `newlyLocked` set when this failure started the lock.
    func recordLoginFailure(
        name: String, address: String, throttle: LoginThrottle, lockEvents: [EventDraft], audit: AuditEntry
    ) async throws -> LoginState
    /// After a success (from `address`), or a password reset (nil: every address): the failures are forgotten.
    /// No audit record (the login or the reset that calls it has its own).
    func clearLoginFailures(name: String, address: String?) async throws
    /// Lifts every lock of an existing account and forgets its failures; `NOT-FOUND` otherwise.
    func unlock(login: String, audit: AuditEntry) async throws

    // MARK: API tokens
    /// Stores a token (its id, `TK-n`, is assigned by the store, and the audit entity names it) and returns it.
    func createToken(
        owner: String, label: String, expires: Date?, secretHash: String, prefix: String, claim: IdempotencyClaim?,
        audit: AuditEntry
    ) async throws -> APIToken
    /// The token with this secret hash and its owner, if any (revoked and expired ones included: the caller decides).
    func token(secretHash: String) async throws -> (token: APIToken, owner: User)?
    /// The token with this id, revoked or not; nil for none.
    func token(id: String) async throws -> APIToken?
    /// The tokens of one owner (all when nil), in id order.
    func tokens(owner: String?) async throws -> [APIToken]
    /// Revokes an active token; a token already revoked is left as it is, with no audit record. Returns the
    /// token as it now stands; `NOT-FOUND` for no token.
    func revokeToken(id: String, audit: AuditEntry) async throws -> APIToken
    /// Notes the token's last use (no audit record); an unknown id is ignored.
    func touchToken(id: String, at: Date) async throws

    // MARK: Users (administration)
    /// Every user, in login order.
    func users() async throws -> [User]
    /// The names of these logins (logins with no account are left out).
    func userNames(_ logins: Set<String>) async throws -> [String: String]
    /// Compare-and-swap: writes `user`'s profile (name, role, scope, contact, disabled and its reason, certificate)
    /// if the stored revision is still `expectedRevision` (`CONFLICT current=N` otherwise, `NOT-FOUND` for no
    /// user, `ALREADY-EXISTS` for another user's certificate) and returns it with the next revision. The password
    /// is not touched.
    func saveUser(_ user: User, expectedRevision: Int64, audit: AuditEntry) async throws -> User
    /// Creates a user under an idempotency key, in one transaction (`ALREADY-EXISTS` when the login is taken).
    func createUser(_ user: User, passwordHash: String, claim: IdempotencyClaim?, audit: AuditEntry) async throws
    /// Notes a successful login's time (no audit record; the login has its own); no revision change.
    func recordLogin(login: String, at: Date) async throws
    /// Every name with failures or a lock in force: its failures and the latest-ending lock.
    func loginStates() async throws -> [String: LoginState]

    // MARK: Administrative units
    /// Both editions' units and the lineage links between them.
    func units() async throws -> (units: [AdminUnit], links: [UnitLink])
    /// Replaces both editions and the lineage at once: all or nothing.
    func replaceUnits(_ units: [AdminUnit], links: [UnitLink], audit: AuditEntry) async throws

    // MARK: Committees
    /// Every committee, by unit, with its count of current members.
    func committees() async throws -> [Committee]
    /// The committee with this id (`CM-n`), or nil.
    func committee(id: String) async throws -> Committee?
    /// Current seats: of one committee, or of one user (nil for all), by committee then login.
    func members(committee: String?, login: String?) async throws -> [Committee.Member]
    /// Creates a unit's committee (`CM-n`, revision 1; the audit entity names it); `ALREADY-EXISTS
    /// committee=CM-n` when the unit has a committee.
    func createCommittee(
        unit: String, name: String, decision: String, decided: String, claim: IdempotencyClaim?, audit: AuditEntry
    ) async throws -> Committee
    /// Compare-and-swap: writes name, decision and decision date (`CONFLICT current=N`, `NOT-FOUND`).
    func saveCommittee(_ committee: Committee, expectedRevision: Int64, audit: AuditEntry) async throws -> Committee
    /// Seats a member and raises the committee's revision (compare-and-swap when `expectedRevision` is given);
    /// `ALREADY-EXISTS` when they hold a current seat, `INVALID` for a second chair, `NOT-FOUND` for no committee.
    func addMember(_ member: Committee.Member, expectedRevision: Int64?, audit: AuditEntry) async throws -> Committee
    /// Ends the seat on `day` and raises the committee's revision; `INVALID` while the member holds assignments
    /// under the committee, `NOT-FOUND` when they hold no current seat.
    func removeMember(committee: String, login: String, day: String, expectedRevision: Int64?, audit: AuditEntry)
        async throws -> Committee

    // MARK: Assignments
    /// Assignments of a commune and/or a user, or all (both nil), latest start first.
    func assignments(commune: String?, login: String?) async throws -> [Assignment]
    /// The assignment with this id (`AS-n`), ended or not, or nil.
    func assignment(id: String) async throws -> Assignment?
    /// Checks, inside the transaction, that no lead overlaps (`LEAD-EXISTS`) and that the member holds no
    /// other open assignment for the commune (`ALREADY-EXISTS`); `NOT-FOUND` for a malformed committee id.
    func createAssignment(_ assignment: Assignment, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Assignment
    /// Ends an open assignment on `until` (compare-and-swap when `expectedRevision` is given); `INVALID` when it
    /// has ended or `until` is before its start, `NOT-FOUND` for none.
    func endAssignment(id: String, until: String, reason: String?, expectedRevision: Int64?, audit: AuditEntry)
        async throws -> Assignment
    /// Hands a commune's lead over on `newLead.from` in one transaction; returns the ended assignments (old
    /// lead first, then the new lead's own support, if any) and the new one, each with its audit record.
    /// `NOT-FOUND` without an open lead; `INVALID` when the new lead is the old one or the handover precedes
    /// the old lead's start.
    func reassignLead(_ newLead: Assignment, reason: String?, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> (ended: [Assignment], created: Assignment)

    // MARK: Tasks
    /// The tasks a selection names, in id order.
    func tasks(_ selection: TaskSelection) async throws -> [WorkTask]
    /// The task with this id (`T-n`), or nil.
    func task(id: String) async throws -> WorkTask?
    /// Stores a new task (id, times and revision assigned here) with its first transition, if any.
    func createTask(_ task: WorkTask, transition: TaskTransition?, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> WorkTask
    /// Compare-and-swap on the revision (`CONFLICT current=N`, `NOT-FOUND`); records the transition, if any.
    func saveTask(_ task: WorkTask, expectedRevision: Int64, transition: TaskTransition?, audit: AuditEntry)
        async throws -> WorkTask
    /// A task's transitions, oldest first.
    func transitions(task: String) async throws -> [TaskTransition]
    /// A task's comments, oldest first.
    func comments(task: String) async throws -> [TaskComment]
    /// Appends a comment (`TC-n`; a `comment=-` event detail gets the id) and counts it on the task; it does
    /// not change the task's revision. Comments are never edited or removed.
    func addComment(task: String, author: String, text: String, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> TaskComment
    /// The comment with this id, or nil.
    func comment(id: String) async throws -> TaskComment?

    // MARK: Cases
    /// Cases of these communes (all when nil), newest first.
    func cases(communes: Set<String>?) async throws -> [CaseFile]
    /// Cases in one state (PENDING asks for the submitted ones only), newest first.
    func cases(state: CaseFile.State) async throws -> [CaseFile]
    /// The case with this id (`C-n`), or nil.
    func caseFile(id: String) async throws -> CaseFile?
    /// Stores a new case (id, times and revision assigned here).
    func createCase(_ file: CaseFile, claim: IdempotencyClaim?, audit: AuditEntry) async throws -> CaseFile
    /// Compare-and-swap on the revision; writes the given steps (inserted or replaced, keyed by round and
    /// number) in the same transaction.
    func saveCase(_ file: CaseFile, expectedRevision: Int64, steps: [CaseStep], audit: AuditEntry) async throws
        -> CaseFile
    /// Steps of every round, rounds oldest first, steps in chain order.
    func steps(caseID: String) async throws -> [CaseStep]
    /// The commune of each household that exists among `ids`.
    func householdCommunes(_ ids: [String]) async throws -> [String: String]

    // MARK: Approval chains and delegations
    /// One chain per kind, the initial one (revision 1) for kinds never set.
    func chains() async throws -> [ApprovalChain]
    /// Replaces a kind's chain (compare-and-swap when `expectedRevision` is given) and returns it as stored.
    func setChain(_ chain: ApprovalChain, expectedRevision: Int64?, audit: AuditEntry) async throws -> ApprovalChain
    /// Every delegation, latest start first.
    func delegations() async throws -> [Delegation]
    /// The delegation with this id (`DL-n`), or nil.
    func delegation(id: String) async throws -> Delegation?
    /// Refuses (`INVALID`) a window that overlaps another open delegation of the same delegator (one not ended
    /// and not past on `today`), inside the transaction.
    func createDelegation(_ delegation: Delegation, today: String, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> Delegation
    /// Ends a scheduled or active delegation (compare-and-swap when `expectedRevision` is given); `INVALID` when
    /// it has ended or expired on `today`, `NOT-FOUND` for none.
    func endDelegation(id: String, by: String, expectedRevision: Int64?, today: String, audit: AuditEntry)
        async throws -> Delegation

    // MARK: Households
    /// Households of these communes (all when nil), with their size and latest class.
    func households(communes: Set<String>?) async throws -> [Household]
    /// The household with this id (`HH-n`), or nil.
    func household(id: String) async throws -> Household?
    /// The household whose head has this ID number.
    func household(idNumber: String) async throws -> Household?
    /// Stores a new household (id, times and revision assigned here); `ALREADY-EXISTS household=HH-n` when a
    /// head already has its ID number, checked inside the transaction.
    func createHousehold(_ household: Household, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Household
    /// Compare-and-swap on the revision (`CONFLICT current=N`); `ALREADY-EXISTS` as for creation.
    func saveHousehold(_ household: Household, expectedRevision: Int64, audit: AuditEntry) async throws -> Household
    /// Current members of a household, by id.
    func householdMembers(household: String) async throws -> [HouseholdMember]

    /// Where an imported household came from (file, line, import run and key), nil for a household not created
    /// by an import that recorded it (made with HOUSEHOLD CREATE, or imported before v20).
    func householdImportMark(household: String) async throws -> ImportMark?
    /// A member, removed or not.
    func householdMember(id: String) async throws -> HouseholdMember?
    /// Adds a member (`P-n`; `P-?` in the audit change becomes the id) and raises the household's revision
    /// (compare-and-swap), in one transaction.
    func addHouseholdMember(
        _ member: HouseholdMember, expectedRevision: Int64, claim: IdempotencyClaim?, audit: AuditEntry
    ) async throws -> (member: HouseholdMember, household: Household)
    /// Removes a current member (`NOT-FOUND` otherwise) and raises the household's revision.
    func removeHouseholdMember(
        household: String, member: String, reason: String?, expectedRevision: Int64, audit: AuditEntry
    ) async throws -> Household
    /// The assessments in force of one household, oldest year first.
    func assessments(household: String) async throws -> [Assessment]
    /// The assessments in force for one year, of every household.
    func assessments(year: Int) async throws -> [Assessment]
    /// Stores the year's assessment, replacing any earlier one, and raises the household's revision
    /// (compare-and-swap).
    func recordAssessment(_ assessment: Assessment, expectedRevision: Int64, audit: AuditEntry) async throws
        -> (assessment: Assessment, household: Household)
    /// Appends the records of identity fields sent to a reader, all in one transaction.
    func recordReads(_ entries: [AuditEntry]) async throws

    // MARK: Poverty reviews (CLP1.md §10.11)

    /// Campaigns of these communes (nil: every commune; legacy ones as stored), of a review year (nil: any),
    /// in id order.
    func reviewCampaigns(communes: Set<String>?, reviewYear: Int?) async throws -> [ReviewCampaign]
    /// The campaign `RC-n`, or nil.
    func reviewCampaign(id: String) async throws -> ReviewCampaign?
    /// Opens a campaign: gives it the next `RC-n`, asks `build` for the opening step of a campaign with that
    /// id (the machine's `open`, which may refuse: then nothing is written) and the audit entry to keep with
    /// it, and stores the step as `saveReviewCampaign` would — in one transaction. Refused with
    /// `ALREADY-EXISTS campaign=RC-m` for a second periodic campaign of a commune and review year, or a second
    /// ad-hoc campaign of a commune and review day.
    func openReviewCampaign(
        claim: IdempotencyClaim?, build: @escaping @Sendable (String) throws -> ReviewOpening
    ) async throws -> ReviewCampaign
    /// Stores the step's campaign if the stored one is still at `expectedRevision` (`CONFLICT current=N`
    /// otherwise; `NOT-FOUND` for no campaign), with what its effects keep — each `recordAssessment` as an
    /// assessment (its `persons`, unless it carries them, counted from the household's members at the write),
    /// each `issueCertificate`
    /// as a certificate — and the audit entry with its events, in one transaction. Deadlines need no row:
    /// the scheduler reads them from the stored campaigns. `ALREADY-EXISTS` for a certificate number already
    /// issued in the commune and year, or an assessment of the household by the campaign already kept.
    func saveReviewCampaign(_ step: ReviewStep, expectedRevision: Int, audit: AuditEntry) async throws
        -> ReviewCampaign
    /// Decided assessments, filtered by commune (as stored), household and list year (nil: any), ordered by
    /// list year, decision date, campaign and household. Append-only: nothing changes or removes one.
    func reviewAssessments(commune: String?, household: String?, listYear: Int?) async throws
        -> [ReviewAssessment]
    /// Certificates issued, filtered by campaign and household (nil: any), in issue order.
    func povertyCertificates(campaign: String?, household: String?) async throws -> [PovertyCertificate]
    /// The next free certificate sequence number of a commune for a year of issue (1 when none was issued).
    func nextCertificateSequence(commune: String, year: Int) async throws -> Int

    /// Writes a household import in one transaction, all of it or nothing: each household not imported before
    /// is created with its members (one audit record each, on `household:HH-n`) and its key remembered with
    /// its fingerprint; a household imported before whose fingerprint it matches (`HouseholdImport.matches`)
    /// is left as it is; one imported with another fingerprint refuses the whole file (`CONFLICT
    /// household=HH-n`, naming its `place`). Then `then` is given every
    /// key's household id and returns what the import does to campaigns: a step on an existing campaign
    /// (listing and surveys), stored as `saveReviewCampaign` stores it against `campaignRevision`, and
    /// campaigns to open (imported, decided lists of past years), each opened as `openReviewCampaign` opens one
    /// — in the same transaction. `audit` is the batch's own record,
    /// written first — only when the import creates something or makes a step: the same file imported again
    /// writes nothing at all. With `dryRun` everything is checked and counted, and nothing is kept.
    func importHouseholds(
        _ households: [HouseholdImport], campaignRevision: Int?, dryRun: Bool, audit: AuditEntry,
        then: @escaping @Sendable ([String: String]) throws -> ImportSteps
    ) async throws -> HouseholdImportOutcome

    /// Writes a case import (decided cases of past years) in one transaction, all of it or nothing: each case
    /// whose key (`imported.key`) is new is created as given — state, decision and `decidedAt` kept, no
    /// approval chain, no event — with one audit record on `case:C-n`; a case imported before with the same
    /// fingerprint is left as it is; one with another fingerprint refuses the whole file (`CONFLICT`, naming
    /// the line and `case=C-n`). Each household is `HH-n` or the key of a household imported before, and must
    /// be filed under one of `communes` (`INVALID` naming line and column, every such problem listed). `audit`
    /// is the batch's own record, written first and only when something is created: the same file imported
    /// again writes nothing. With `dryRun` everything is checked and counted, and nothing is kept.
    func importCases(_ cases: [CaseImport], dryRun: Bool, audit: AuditEntry) async throws -> RecordImportOutcome
    /// Writes a task import as `importCases` writes cases: new keys created (with their transition, if any)
    /// and audited on `task:T-n`, the same content left alone, other content `CONFLICT`; a batch record only
    /// when something is created; no events; `dryRun` keeps nothing.
    func importTasks(_ tasks: [TaskImport], dryRun: Bool, audit: AuditEntry) async throws -> RecordImportOutcome

    // MARK: Funding ledger (CLP1.md §10.13)

    /// Allocations of these units (as stored; nil: every unit) and programme years (nil: any), in id order,
    /// with every disbursement of them, read in one snapshot: balances and reports computed from it agree.
    func fundLedger(units: Set<String>?, years: ClosedRange<Int>?) async throws -> FundLedger
    /// The allocation `AL-n` with its disbursements (and the allocations carried from it), or nil.
    func allocation(id: String) async throws -> (allocation: Allocation, ledger: FundLedger)?
    /// The approved cases of these communes (as stored; nil: every commune) and programme years, in id order:
    /// what REPORT OUTPUTS counts, read in one statement without the rest of each case.
    func caseOutputs(communes: Set<String>?, years: ClosedRange<Int>) async throws -> [CaseOutput]
    /// Keeps an allocation as `AL-n` (the audit entity names it). A new allocation is checked by
    /// `FundingRules.problem(allocating:)`; a carry-over (`carriedFrom` set) by `problem(carrying:…)` against
    /// its source's balance read inside the transaction, the source locked, so that two carries or a carry and
    /// a payment racing never take more than the source has left. `NOT-FOUND` for no source, `INVALID`.
    func createAllocation(_ allocation: Allocation, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Allocation
    /// Keeps a payment as `DB-n` against its allocation, checked by `FundingRules.problem(disbursing:…)` (and,
    /// naming a case, `problem(paying:…)` with what the case was paid before) inside the transaction, the
    /// allocation locked: of two payments racing for the last of an allocation one is refused. The audit
    /// entry's entity is the allocation's; a `DB-?` in its change becomes the id. `NOT-FOUND`, `INVALID`.
    func recordDisbursement(_ disbursement: Disbursement, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Disbursement

    // MARK: Offices (who holds the chairman's office of a People's Committee)

    /// Holdings of offices of a unit and/or a login (nil: any), in id order; ended ones included.
    func officeHoldings(unit: String?, login: String?) async throws -> [OfficeHolding]
    /// Keeps a holding as `OF-n`. `INVALID` when the same login already holds the same office over an
    /// overlapping period.
    func assignOffice(_ holding: OfficeHolding, audit: AuditEntry) async throws -> OfficeHolding
    /// Ends holding `OF-n` on `through` (its last day). `NOT-FOUND`; `INVALID` when already ended or
    /// `through` is before its start.
    func endOffice(id: String, through: CivilDate, audit: AuditEntry) async throws -> OfficeHolding

    // MARK: Report figures (household totals, targets, the lists in force)

    /// Recorded totals of the given units (as stored: `CODE`, `legacy:CODE`; nil: all), of one year (nil: any),
    /// ordered by unit and year.
    func householdTotals(units: Set<String>?, year: Int?) async throws -> [HouseholdTotal]
    /// Records a unit's total for a year, replacing the one recorded before (the audit keeps both), with the
    /// audit entry, in one transaction. Returns what was kept.
    func setHouseholdTotal(_ total: HouseholdTotal, audit: AuditEntry) async throws -> HouseholdTotal
    /// Targets of the given units (nil: all) and year (nil: any), ordered by unit, year, indicator and kind.
    func targets(units: Set<String>?, year: Int?) async throws -> [Target]
    /// Keeps a target. A new one (no target of its unit, year, indicator and kind yet) is given `TG-n`, with
    /// `expectedRevision` nil; one that exists is replaced only against its revision (`CONFLICT current=M`,
    /// and `ALREADY-EXISTS target=TG-n` when no revision was given). The claim is recorded with it.
    func saveTarget(_ target: Target, expectedRevision: Int64?, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> Target
    /// What a poverty report reads, in one snapshot: the lists in force (each household's class by the latest
    /// decision dated on or before `asOf`) of the communes for every list year up to `throughYear`, the register
    /// facts of those households, the communes' totals for `totalYears`, and the targets of `targetUnits`.
    func povertySnapshot(
        communes: Set<String>, throughYear: Int, totalYears: ClosedRange<Int>, asOf: CivilDate,
        targetUnits: Set<String>
    ) async throws -> PovertySnapshot

    // MARK: Idempotency
    /// The record of an earlier request with this key, if it is younger than `maxAge`. Written by every
    /// creating method given a claim, in its transaction; one per (login, key), a later claim replacing it.
    func idempotencyRecord(login: String, key: String, maxAge: TimeInterval) async throws -> IdempotencyRecord?

    // MARK: Audit
    /// Appends a record that accompanies no other change (a failed login, a denied command …), with its events.
    func appendAudit(_ entry: AuditEntry) async throws
    /// Records of one entity (all when nil), oldest first, a page of `limit` after skipping `offset`.
    func auditRecords(entity: String?, limit: Int, offset: Int) async throws -> [AuditRecord]
    /// Records matching every given filter (the actor acting or acted for; `after` inclusive, `before`
    /// exclusive), oldest first, and how many match in all.
    func auditRecords(actor: String?, entity: String?, after: Date?, before: Date?, limit: Int, offset: Int)
        async throws -> (records: [AuditRecord], total: Int)
    /// Recomputes the whole chain: how many records hold, its head, and the first broken one, if any.
    func verifyAudit() async throws -> AuditVerification

    // MARK: Events (CLP1.md §8)
    /// Events numbered after `sequence` (and at most `last`), oldest first, at most `limit` of them. Complete
    /// by guarantee 3: nothing can later appear at or below the highest number returned.
    func events(after sequence: Int64, through last: Int64?, limit: Int) async throws -> [Event]
    /// The last number given (`head`) and the highest one dropped by retention (`droppedThrough`).
    func eventBounds() async throws -> EventBounds
    /// Retention: drops the events older than `date` (no audit record); returns how many. Numbers are not
    /// reused and `droppedThrough` tells a late reader that it missed some.
    func dropEvents(before date: Date) async throws -> Int
    /// Raises each notice's event unless that notice (task, kind, due) was raised before, by any caller;
    /// returns how many were raised. Events only, no audit record.
    func recordDeadlines(_ notices: [DeadlineNotice], at date: Date) async throws -> Int
    /// Ticks after each committed transaction of this store that wrote events (ticks may merge: a tick says
    /// "read what is new", not how much). One consumer: the server's event hub. Another process's commits on a
    /// shared SQLite file do not tick it (their events are read at the next tick or poll); a backend shared by
    /// server nodes ticks for every node's commits (PostgreSQL: LISTEN/NOTIFY).
    var eventsWritten: AsyncStream<Void> { get }

    /// Closes the store; no method may be called after.
    func close() async throws
}

extension Store {
    /// Tasks of these communes (all tasks when nil).
    public func tasks(communes: Set<String>?) async throws -> [WorkTask] {
        try await tasks(TaskSelection(communes: communes))
    }
}
