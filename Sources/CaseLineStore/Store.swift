public import CaseLineDomain
public import Foundation

/// Everything the server keeps, behind one async interface so that the SQLite store and (later) a
/// PostgreSQL store are interchangeable. Every method that changes something appends its audit record in
/// the same transaction: either both are durable or neither is.
public protocol Store: Sendable {
    // MARK: Users
    func user(login: String) async throws -> User?
    /// The user and their password hash, for authentication.
    func credentials(login: String) async throws -> (user: User, passwordHash: String)?
    func user(certificateFingerprint: String) async throws -> User?
    func userCount() async throws -> Int
    /// Fails with `ALREADY-EXISTS` when the login is taken.
    func createUser(_ user: User, passwordHash: String, audit: AuditEntry) async throws
    func setPassword(login: String, passwordHash: String, mustChange: Bool, audit: AuditEntry) async throws
    /// Maps a client certificate (SHA-256 of its DER, lower-case hex) to the user, or removes the mapping (nil).
    func setCertificateFingerprint(login: String, fingerprint: String?, audit: AuditEntry) async throws

    // MARK: Failed logins (per user name, whether or not the account exists; LoginThrottle has the rule)
    /// The name's failures from everywhere, and the lock in force for this address, if any.
    func loginState(name: String, address: String) async throws -> LoginState
    /// Records a failure of the name from the address under `throttle`'s rule, in one transaction with its
    /// audit record; `lockEvents` are raised only when this failure starts a lock. Returns the new state.
    func recordLoginFailure(
        name: String, address: String, throttle: LoginThrottle, lockEvents: [EventDraft], audit: AuditEntry
    ) async throws -> LoginState
    /// After a success (from `address`), or a password reset (nil: every address): the failures are forgotten.
    func clearLoginFailures(name: String, address: String?) async throws
    /// Lifts every lock of an existing account and forgets its failures; `NOT-FOUND` otherwise.
    func unlock(login: String, audit: AuditEntry) async throws

    // MARK: API tokens
    /// Stores a token (its id is assigned by the store) and returns it.
    func createToken(
        owner: String, label: String, expires: Date?, secretHash: String, prefix: String, claim: IdempotencyClaim?,
        audit: AuditEntry
    ) async throws -> APIToken
    /// The token with this secret hash and its owner, if any (revoked and expired ones included: the caller decides).
    func token(secretHash: String) async throws -> (token: APIToken, owner: User)?
    func token(id: String) async throws -> APIToken?
    func tokens(owner: String?) async throws -> [APIToken]
    /// Revokes an active token; a token already revoked is left as it is. Returns the token as it now stands.
    func revokeToken(id: String, audit: AuditEntry) async throws -> APIToken
    func touchToken(id: String, at: Date) async throws

    // MARK: Users (administration)
    func users() async throws -> [User]
    /// The names of these logins (logins with no account are left out).
    func userNames(_ logins: Set<String>) async throws -> [String: String]
    /// Compare-and-swap: writes `user` if the stored revision is still `expectedRevision` (`CONFLICT current=N`
    /// otherwise) and returns it with the next revision.
    func saveUser(_ user: User, expectedRevision: Int64, audit: AuditEntry) async throws -> User
    /// Creates a user under an idempotency key, in one transaction (`ALREADY-EXISTS` when the login is taken).
    func createUser(_ user: User, passwordHash: String, claim: IdempotencyClaim?, audit: AuditEntry) async throws
    func recordLogin(login: String, at: Date) async throws
    /// Every name with failures or a lock in force: its failures and the latest-ending lock.
    func loginStates() async throws -> [String: LoginState]

    // MARK: Administrative units
    func units() async throws -> (units: [AdminUnit], links: [UnitLink])
    /// Replaces both editions and the lineage at once: all or nothing.
    func replaceUnits(_ units: [AdminUnit], links: [UnitLink], audit: AuditEntry) async throws

    // MARK: Committees
    func committees() async throws -> [Committee]
    func committee(id: String) async throws -> Committee?
    /// Current seats: of one committee, or of one user (nil for all).
    func members(committee: String?, login: String?) async throws -> [Committee.Member]
    /// `ALREADY-EXISTS` when the unit has a committee.
    func createCommittee(
        unit: String, name: String, decision: String, decided: String, claim: IdempotencyClaim?, audit: AuditEntry
    ) async throws -> Committee
    func saveCommittee(_ committee: Committee, expectedRevision: Int64, audit: AuditEntry) async throws -> Committee
    func addMember(_ member: Committee.Member, expectedRevision: Int64?, audit: AuditEntry) async throws -> Committee
    /// Ends the seat on `day`; `INVALID` while the member holds assignments under the committee.
    func removeMember(committee: String, login: String, day: String, expectedRevision: Int64?, audit: AuditEntry)
        async throws -> Committee

    // MARK: Assignments
    /// Assignments of a commune and/or a user, or all (both nil).
    func assignments(commune: String?, login: String?) async throws -> [Assignment]
    func assignment(id: String) async throws -> Assignment?
    /// Checks, inside the transaction, that no lead overlaps (`LEAD-EXISTS`) and that the member holds no
    /// other open assignment for the commune (`ALREADY-EXISTS`).
    func createAssignment(_ assignment: Assignment, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Assignment
    func endAssignment(id: String, until: String, reason: String?, expectedRevision: Int64?, audit: AuditEntry)
        async throws -> Assignment
    /// Hands a commune's lead over on `newLead.from` in one transaction; returns the ended assignments (old
    /// lead first) and the new one.
    func reassignLead(_ newLead: Assignment, reason: String?, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> (ended: [Assignment], created: Assignment)

    // MARK: Tasks
    /// The tasks a selection names, in id order.
    func tasks(_ selection: TaskSelection) async throws -> [WorkTask]
    func task(id: String) async throws -> WorkTask?
    /// Stores a new task (id, times and revision assigned here) with its first transition, if any.
    func createTask(_ task: WorkTask, transition: TaskTransition?, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> WorkTask
    /// Compare-and-swap on the revision (`CONFLICT current=N`); records the transition when the state changes.
    func saveTask(_ task: WorkTask, expectedRevision: Int64, transition: TaskTransition?, audit: AuditEntry)
        async throws -> WorkTask
    func transitions(task: String) async throws -> [TaskTransition]
    func comments(task: String) async throws -> [TaskComment]
    /// Appends a comment; it does not change the task's revision.
    func addComment(task: String, author: String, text: String, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> TaskComment
    func comment(id: String) async throws -> TaskComment?

    // MARK: Cases
    func cases(communes: Set<String>?) async throws -> [CaseFile]
    /// Cases in one state (PENDING asks for the submitted ones only).
    func cases(state: CaseFile.State) async throws -> [CaseFile]
    func caseFile(id: String) async throws -> CaseFile?
    func createCase(_ file: CaseFile, claim: IdempotencyClaim?, audit: AuditEntry) async throws -> CaseFile
    /// Compare-and-swap on the revision; writes the given steps (inserted or replaced) in the same transaction.
    func saveCase(_ file: CaseFile, expectedRevision: Int64, steps: [CaseStep], audit: AuditEntry) async throws
        -> CaseFile
    /// Steps of every round, rounds oldest first, steps in chain order.
    func steps(caseID: String) async throws -> [CaseStep]
    /// The commune of each household that exists among `ids`.
    func householdCommunes(_ ids: [String]) async throws -> [String: String]

    // MARK: Approval chains and delegations
    /// One chain per kind, the initial one for kinds never set.
    func chains() async throws -> [ApprovalChain]
    func setChain(_ chain: ApprovalChain, expectedRevision: Int64?, audit: AuditEntry) async throws -> ApprovalChain
    func delegations() async throws -> [Delegation]
    func delegation(id: String) async throws -> Delegation?
    /// Refuses (`INVALID`) a window that overlaps another open delegation of the same delegator, inside the
    /// transaction.
    func createDelegation(_ delegation: Delegation, today: String, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> Delegation
    func endDelegation(id: String, by: String, expectedRevision: Int64?, today: String, audit: AuditEntry)
        async throws -> Delegation

    // MARK: Households
    /// Households of these communes (all when nil), with their size and latest class.
    func households(communes: Set<String>?) async throws -> [Household]
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
    /// A member, removed or not.
    func householdMember(id: String) async throws -> HouseholdMember?
    /// Adds a member and raises the household's revision (compare-and-swap), in one transaction.
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
    /// Stores the year's assessment, replacing any earlier one, and raises the household's revision.
    func recordAssessment(_ assessment: Assessment, expectedRevision: Int64, audit: AuditEntry) async throws
        -> (assessment: Assessment, household: Household)
    /// Appends the records of identity fields sent to a reader, all in one transaction.
    func recordReads(_ entries: [AuditEntry]) async throws

    // MARK: Idempotency
    /// The record of an earlier request with this key, if it is younger than `maxAge`.
    func idempotencyRecord(login: String, key: String, maxAge: TimeInterval) async throws -> IdempotencyRecord?

    // MARK: Audit
    /// Appends a record that accompanies no other change (a failed login, a denied command …).
    func appendAudit(_ entry: AuditEntry) async throws
    func auditRecords(entity: String?, limit: Int, offset: Int) async throws -> [AuditRecord]
    /// Records matching every given filter, oldest first, and how many match in all.
    func auditRecords(actor: String?, entity: String?, after: Date?, before: Date?, limit: Int, offset: Int)
        async throws -> (records: [AuditRecord], total: Int)
    func verifyAudit() async throws -> AuditVerification

    // MARK: Events (CLP1.md §8)
    /// Events numbered after `sequence` (and at most `last`), oldest first.
    func events(after sequence: Int64, through last: Int64?, limit: Int) async throws -> [Event]
    func eventBounds() async throws -> EventBounds
    /// Retention: drops the events older than `date`; returns how many.
    func dropEvents(before date: Date) async throws -> Int
    /// Raises each notice's event unless that notice was raised before; returns how many were raised.
    func recordDeadlines(_ notices: [DeadlineNotice], at date: Date) async throws -> Int
    /// Ticks after each committed transaction that wrote events. One consumer: the server's event hub.
    var eventsWritten: AsyncStream<Void> { get }

    func close() async throws
}

extension Store {
    /// Tasks of these communes (all tasks when nil).
    public func tasks(communes: Set<String>?) async throws -> [WorkTask] {
        try await tasks(TaskSelection(communes: communes))
    }
}
