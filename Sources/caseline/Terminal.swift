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

    /// Reads a line from the terminal without echoing it (passwords).
    static func secret(prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        var settings = termios()
        let haveTerminal = tcgetattr(STDIN_FILENO, &settings) == 0
        var silent = settings
        silent.c_lflag &= ~tcflag_t(ECHO)
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
