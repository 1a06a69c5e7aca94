import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation
import Logging

/// Runs one decoded request: access policy first (the one place access is decided), then the command's
/// handler with its typed input; turns every outcome into responses. Never throws: whatever happens, the
/// request is answered.
enum Dispatcher {
    /// What a session with a one-time password may still do.
    static let allowedWithOneTimePassword: Set<String> = ["PASSWORD", "WHOAMI", "HELP", "PING", "LOGOUT", "HELLO"]

    struct Outcome: Sendable {
        var responses: [Response]
        var close: Bool
    }

    /// The same, in a child task of its own. An idle session then holds only its connection: a Swift task
    /// keeps the memory its deepest call ever needed for as long as it lives, so a session task that ran a
    /// LOGIN (or a PENDING) kept some 30 KB after it (heaptrack, 2026-11-26); a child task gives it back when
    /// the request ends.
    static func handleApart(
        _ request: Result<Command, ProtocolError>, env: ServerEnvironment, session: inout SessionState
    ) async -> Outcome {
        let before = session
        let (outcome, after) = await withTaskGroup(of: (Outcome, SessionState).self) { group in
            group.addTask {
                var session = before
                let outcome = await handle(request, env: env, session: &session)
                return (outcome, session)
            }
            return await group.next()!
        }
        session = after
        return outcome
    }

    static func handle(
        _ request: Result<Command, ProtocolError>, env: ServerEnvironment, session: inout SessionState
    ) async -> Outcome {
        let started = ContinuousClock.now
        switch request {
        case .failure(let error):
            env.metrics.command("-", outcome: "bad", nanoseconds: 0)
            env.logger.debug(
                "malformed request",
                metadata: [
                    "caseline.conn": "\(session.connectionID)", "caseline.tag": "\(error.tag ?? "*")",
                    "caseline.code": "\(error.code.rawValue)",
                ])
            return countBad(env: env, session: &session, answer: .completion(Completion(error)))
        case .success(let command):
            if let auth = session.auth {
                let status = await env.registry.status(
                    user: auth.user.login, serial: auth.serial, token: auth.tokenID,
                    viaPassword: auth.method == .password)
                if status.revoked || auth.expires.map({ env.clock() >= $0 }) ?? false {
                    return Outcome(
                        responses: [
                            .bye(
                                code: ErrorCode.sessionRevoked.rawValue, text: "this session's credentials were revoked"
                            )
                        ],
                        close: true)
                }
                if status.userVersion != auth.userVersion {
                    // The account changed (role, scope, disabled …): the session acts as it is now.
                    guard let fresh = try? await env.store.user(login: auth.user.login), !fresh.disabled else {
                        return Outcome(
                            responses: [
                                .bye(code: ErrorCode.sessionRevoked.rawValue, text: "this account was disabled")
                            ],
                            close: true)
                    }
                    session.auth?.user = fresh
                    session.auth?.userVersion = status.userVersion
                }
            }
            var outcome = await execute(command, env: env, session: &session)
            let elapsed = ContinuousClock.now - started
            let nanoseconds =
                elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            let status: String
            if case .completion(let completion)? = outcome.responses.last(where: {
                if case .completion = $0 { true } else { false }
            }) {
                status = completion.status == .ok ? "ok" : "no:\(completion.code ?? "-")"
            } else {
                status = "closed"
            }
            env.metrics.command(command.name, outcome: status.hasPrefix("no") ? "no" : status, nanoseconds: nanoseconds)
            env.logger.debug(
                "command",
                metadata: [
                    "caseline.conn": "\(session.connectionID)", "caseline.user": "\(session.user?.login ?? "-")",
                    "caseline.tag": "\(command.tag)", "caseline.verb": "\(command.name)",
                    "caseline.duration-us": "\(nanoseconds / 1000)", "caseline.outcome": "\(status)",
                ])
            if session.user == nil, case .completion(let completion)? = outcome.responses.last,
                completion.code == ErrorCode.authRequired.rawValue
            {
                // Before login, refusals for want of authentication count like malformed requests: a
                // scanner probing commands is closed as quickly as one sending garbage.
                let counted = countBad(env: env, session: &session, answer: outcome.responses.removeLast())
                outcome.responses += counted.responses
                outcome.close = outcome.close || counted.close
            }
            return outcome
        }
    }

    private static func countBad(env: ServerEnvironment, session: inout SessionState, answer: Response) -> Outcome {
        session.badCommands += 1
        let limit =
            session.user == nil ? env.configuration.limits.badCommandsBeforeLogin : env.configuration.limits.badCommands
        guard session.badCommands >= limit else { return Outcome(responses: [answer], close: false) }
        return Outcome(
            responses: [answer, .bye(code: ErrorCode.tooManyErrors.rawValue, text: "too many bad requests")],
            close: true)
    }

    private static func execute(_ command: Command, env: ServerEnvironment, session: inout SessionState) async
        -> Outcome
    {
        func refuse(_ code: DomainError.Code, _ text: String, details: [(String, String)] = []) -> Outcome {
            Outcome(
                responses: [
                    .completion(
                        Completion(
                            tag: command.tag, status: .no, code: code.rawValue,
                            details: details.map { Field($0.0, $0.1) },
                            text: text))
                ], close: false)
        }
        guard env.policy.allows(session.user?.role, command.name) else {
            if session.user == nil { return refuse(.authRequired, "log in first (LOGIN or AUTH)") }
            return refuse(.forbidden, "your role (\(session.user?.role.rawValue ?? "-")) may not use \(command.name)")
        }
        // Only password sessions are held to a pending change: scripts on tokens keep working after a reset.
        if let auth = session.auth, auth.method == .password, auth.user.mustChangePassword,
            !allowedWithOneTimePassword.contains(command.name)
        {
            return refuse(.passwordChangeRequired, "change your one-time password first: PASSWORD old new")
        }
        guard let definition = env.commands[command.name] else {
            // The codec validates against the same registry: a command without a definition never gets here.
            return refuse(.unavailable, "\(command.name) is not implemented in this build of the server")
        }
        let input: CommandInput
        switch definition.input(command) {
        case .success(let typed): input = typed
        case .failure(let error): return countBad(env: env, session: &session, answer: .completion(Completion(error)))
        }
        do {
            let reply = try await definition.handler(env, &session, input)
            return Outcome(
                responses: reply.responses + [
                    .completion(Completion(tag: command.tag, status: .ok, code: reply.code, text: reply.text))
                ] + reply.trailer, close: reply.closeAfter)
        } catch let error as DomainError {
            return refuse(error.code, error.message, details: error.details)
        } catch is CancellationError {
            return refuse(.unavailable, "the server is shutting down")
        } catch {
            env.logger.error(
                "internal error",
                metadata: [
                    "caseline.conn": "\(session.connectionID)", "caseline.verb": "\(command.name)",
                    "caseline.error": "\(String(reflecting: error))",
                ])
            return refuse(.internalError, "internal error; it was logged (connection \(session.connectionID))")
        }
    }
}
