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

    // MARK: Failed logins (per user name, whether or not the account exists)
    func loginFailures(name: String) async throws -> Int
    /// Records a failure and returns the new count.
    func recordLoginFailure(name: String, audit: AuditEntry) async throws -> Int
    func clearLoginFailures(name: String) async throws
    /// Clears the failures of an existing account; `NOT-FOUND` otherwise.
    func unlock(login: String, audit: AuditEntry) async throws

    // MARK: API tokens
    /// Stores a token (its id is assigned by the store) and returns it.
    func createToken(
        owner: String, label: String, expires: Date?, secretHash: String, prefix: String, audit: AuditEntry
    ) async throws -> APIToken
    /// The token with this secret hash and its owner, if any (revoked and expired ones included: the caller decides).
    func token(secretHash: String) async throws -> (token: APIToken, owner: User)?
    func token(id: String) async throws -> APIToken?
    func tokens(owner: String?) async throws -> [APIToken]
    /// Revokes an active token; a token already revoked is left as it is. Returns the token as it now stands.
    func revokeToken(id: String, audit: AuditEntry) async throws -> APIToken
    func touchToken(id: String, at: Date) async throws

    // MARK: Audit
    /// Appends a record that accompanies no other change (a failed login, a denied command …).
    func appendAudit(_ entry: AuditEntry) async throws
    func auditRecords(entity: String?, limit: Int, offset: Int) async throws -> [AuditRecord]
    func verifyAudit() async throws -> AuditVerification

    func close() async throws
}
