import CaseLineClient
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The few terminal facts and actions the client needs.
enum Terminal {
    static var inputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var colour: Bool { outputIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }
    static var errorColour: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    enum Paint: String {
        case red = "31"
        case green = "32"
        case yellow = "33"
        case bold = "1"
        case dim = "2"
    }

    /// Colour only on a terminal, never with NO_COLOR (https://no-color.org), never in files or pipes.
    static func paint(_ text: String, _ paint: Paint, onError: Bool = false) -> String {
        (onError ? errorColour : colour) ? "\u{1B}[\(paint.rawValue)m\(text)\u{1B}[0m" : text
    }

    static func out(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

    static func error(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// The terminal's columns and rows, when standard output is one.
    static var size: (columns: Int, rows: Int)? {
        guard outputIsTerminal else { return nil }
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 else { return nil }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// The terminal's settings when the client started, put back however it ends (Ctrl-C while echo is off).
    nonisolated(unsafe) static var original: termios?

    /// Remembers the terminal's settings and makes Ctrl-C, while a command runs, restore them before the
    /// client ends (as it did before echo was turned off during commands).
    static func guardSettings() {
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return }
        original = settings
        signal(SIGINT) { _ in
            if var settings = Terminal.original { tcsetattr(STDIN_FILENO, TCSANOW, &settings) }
            _exit(130)
        }
    }

    static func restore() {
        if var settings = original { tcsetattr(STDIN_FILENO, TCSANOW, &settings) }
    }

    /// Keys typed while a command runs are kept for the next prompt but not echoed, so that they never merge
    /// into the answer or an event line; the prompt shows them when it comes back.
    static func echo(_ on: Bool) {
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return }
        if on { settings.c_lflag |= tcflag_t(ECHO) } else { settings.c_lflag &= ~tcflag_t(ECHO) }
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
    }

    /// Reads a line from the terminal without echoing it (passwords).
    static func secret(prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        var settings = termios()
        let haveTerminal = tcgetattr(STDIN_FILENO, &settings) == 0
        var silent = settings
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ICANON | ISIG)
        if haveTerminal { tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) }
        defer {
            if haveTerminal { tcsetattr(STDIN_FILENO, TCSAFLUSH, &settings) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }

    /// Asks a yes/no question on the terminal; anything but yes (y, yes; in Vietnamese also c, có) is no.
    static func confirm(_ question: String) -> Bool {
        FileHandle.standardError.write(Data("\(question) \(tr("[y/N]", vi: "[c/K]")) ".utf8))
        guard let answer = readLine(strippingNewline: true)?.lowercased() else { return false }
        return ["y", "yes", "c", "có", "co"].contains(answer)
    }
}

/// Where a command's output goes: a file chosen with `\o`, the pager for a long table on a terminal, or
/// standard output.
final class Output {
    var file: FileHandle?
    var filePath: String?
    /// Off with --no-pager, or an empty PAGER.
    var pagerAllowed = true

    func emit(_ text: String, format: OutputFormat) {
        guard !text.isEmpty else { return }
        if let file {
            file.write(Data(text.utf8))
            return
        }
        if format == .table, pagerAllowed, let size = Terminal.size {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.count > size.rows - 1 || lines.contains(where: { TerminalText.width(String($0)) > size.columns }) {
                if page(text) { return }
            }
        }
        Terminal.out(text)
    }

    /// Whether a program can be started: a path that is executable, or a name found in PATH (a pager that is
    /// not installed must not swallow the output).
    static func canRun(_ program: String, _ environment: [String: String]) -> Bool {
        if program.contains("/") { return access(program, X_OK) == 0 }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").contains { access("\($0)/\(program)", X_OK) == 0 }
    }

    /// `$PAGER` (default `less -FRX`, as psql), fed through a pipe; false when it cannot be started.
    func page(_ text: String) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        let pager = environment["PAGER"] ?? "less -FRX"
        guard let program = pager.split(separator: " ").first.map(String.init), Self.canRun(program, environment)
        else { return false }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return false }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var variables = environment
        if variables["LESSCHARSET"] == nil { variables["LESSCHARSET"] = "utf-8" }
        guard
            let child = try? ChildProcess(
                "/bin/sh", ["-c", pager], environment: variables, standardInput: .descriptor(ends[0]))
        else {
            close(ends[0])
            close(ends[1])
            return false
        }
        close(ends[0])
        // A pager quit early (q) closes the pipe: the rest of the text is not wanted, and no SIGPIPE may end us.
        signal(SIGPIPE, SIG_IGN)
        let handle = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
        try? handle.write(contentsOf: Data(text.utf8))
        try? handle.close()
        while child.isRunning { usleep(20_000) }
        return true
    }
}
