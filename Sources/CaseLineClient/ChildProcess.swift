import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program run beside this one (the client's `$EDITOR`; the tests' peers and server processes): started with
/// `posix_spawn`, its end collected with `waitpid(WNOHANG)`.
///
/// Foundation's `Process` on Linux can miss the end of a child that exits at once (its SIGCHLD monitor races
/// the child's registration), after which `waitUntilExit` spins for ever. That hung CI on 2026-11-25 — a tmux
/// client that exited within milliseconds — so nothing in CaseLine relies on it.
public final class ChildProcess: Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        case inherit
        case null
        /// Read from this file (standard input) or written to it, created or truncated (output).
        case file(String)
        /// An open descriptor of this process (one end of a pipe), duplicated onto the stream.
        case descriptor(Int32)
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let program: String
        public let errno: Int32
        public var description: String { "cannot start \(program): \(String(cString: strerror(errno)))" }
    }

    public let pid: Int32
    private let ended = NIOLockedValueBox<Int32?>(nil)

    /// Starts `program`, searched in PATH when it has no slash. The child gets default signal handling and an
    /// empty signal mask, whatever the calling thread blocks; `environment` nil means this process's own.
    public init(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil,
        standardInput: Stream = .null, standardOutput: Stream = .inherit, standardError: Stream = .inherit
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, stream, flags) in [
            (Int32(0), standardInput, O_RDONLY), (1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC),
            (2, standardError, O_WRONLY | O_CREAT | O_TRUNC),
        ] {
            switch stream {
            case .inherit: break
            case .null: posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_RDWR, 0)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, descriptor, path, flags, 0o600)
            case .descriptor(let open): posix_spawn_file_actions_adddup2(&actions, open, descriptor)
            }
        }
        // Nothing but the three standard streams reaches the child: not a listening socket of the server, not a
        // pipe (a long-lived child holding one would keep it from ever ending).
        // (glibc's posix_spawn_file_actions_addclosefrom_np is not visible from Swift: each open one is named.)
        for descriptor in ProcessEnvironment.openDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let variables =
            environment.map { $0.map { "\($0.key)=\($0.value)" } }
            ?? ProcessEnvironment.current()
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer { for string in argv + envp { free(string) } }
        var child = pid_t()
        let result = posix_spawnp(&child, program, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SpawnError(program: program, errno: result) }
        pid = child
    }

    /// The exit status once the child has ended (128 + the signal for one killed by a signal, as shells
    /// report it); nil while it runs.
    public var exitStatus: Int32? {
        ended.withLockedValue { ended in
            var status: Int32 = 0
            if ended == nil, waitpid(pid, &status, WNOHANG) == pid { ended = Self.decode(status) }
            return ended
        }
    }

    /// The wait status as a shell reports it (WIFEXITED and friends are C macros, not imported).
    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    public var isRunning: Bool { exitStatus == nil }

    public func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits up to `timeout` for the child to end; nil if it still runs.
    public func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return exitStatus
    }

    /// Waits for as long as the child runs (a person in an editor); if the waiting task is cancelled, it blocks
    /// in waitpid rather than spin.
    public func waitUntilExit() async -> Int32 {
        while !Task.isCancelled {
            if let status = exitStatus { return status }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return reap()
    }

    private func reap() -> Int32 {
        ended.withLockedValue { ended in
            if let ended { return ended }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            let result = Self.decode(status)
            ended = result
            return result
        }
    }

    /// A child nobody waited for is killed and reaped, so a failed test leaves no server and no zombie behind.
    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            _ = reap()
        }
    }
}

/// This process's environment as `KEY=value` strings, and its open descriptors.
enum ProcessEnvironment {
    static func openDescriptors() -> [Int32] {
        #if os(Linux)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return names.compactMap { Int32($0) }
        #else
            return Array(3..<Int32(getdtablesize()))
        #endif
    }

    static func current() -> [String] {
        var variables: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            variables.append(String(cString: entry))
            cursor += 1
        }
        return variables
    }
}
