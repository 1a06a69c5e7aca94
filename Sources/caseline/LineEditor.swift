@preconcurrency import CEdit
import CaseLineClient
import CaseLineProtocol
import Foundation
import NIOConcurrencyHelpers

/// libedit in callback mode on a thread of its own, so that live events can be printed above the prompt
/// while a person types, without breaking the line being typed (it is redrawn below them).
///
/// The thread and the session's task take turns: when a line is entered the thread hands it over and waits
/// (no prompt while the command runs), and the session hands the turn back when the answer is printed. libedit
/// is only touched by whoever has the turn, which is what makes its global state safe to use.
final class LineEditor: Sendable {
    enum Input: Sendable {
        case line(String)
        /// Ctrl-D on an empty line.
        case end
        /// The connection closed while the session sat at the prompt.
        case disconnected
    }

    /// Where events come from and whether the connection still stands; swapped at each reconnection.
    struct Source: Sendable {
        let events: @Sendable () -> [Record]
        let closed: @Sendable () -> Bool
        /// Called at the prompt every tenth of a second at most (to pick up a background answer).
        var idle: @Sendable () -> Void = {}
    }

    let lines: AsyncStream<Input>
    private let sink: AsyncStream<Input>.Continuation
    private let prompt: String
    private let source = NIOLockedValueBox<Source?>(nil)
    private let disconnectTold = NIOLockedValueBox(false)
    private let endedBox = NIOLockedValueBox(false)

    /// The person pressed Ctrl-D: the session should end even while it waits to reconnect.
    var ended: Bool { endedBox.withLockedValue { $0 } }
    private let show: @Sendable (Record) -> String
    private let turn = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let quitting = NIOLockedValueBox(false)
    /// Notices from the session's task, printed by the thread above the prompt, which it then redraws.
    private let notices = NIOLockedValueBox<[String]>([])

    /// Lines libedit handed to the C callback, taken by the thread right after `rl_callback_read_char`.
    nonisolated(unsafe) private static var entered: [String?] = []

    nonisolated(unsafe) private static var watching = false
    /// Ctrl-R's search is on; an Enter ended it.
    nonisolated(unsafe) private static var searching = false
    nonisolated(unsafe) private static var searchAccepted = false

    /// Reads the keys for libedit, to see one thing: Enter in a Ctrl-R search. libedit ends the search and
    /// pushes the Enter back to run the line found, but in callback mode nothing reads that pushed key until the
    /// next keystroke, so the line waited for a second Enter; the thread now lets libedit take it at once.
    /// libedit hands what this returns on as one character, so a UTF-8 sequence is decoded here whole. It must
    /// be set before libedit initialises (the history's first use does that).
    static func watchKeys() {
        guard !watching else { return }
        watching = true
        rl_getc_function = { _ in
            func byte() -> Int32? {
                var byte: UInt8 = 0
                while true {
                    let count = Glibc.read(STDIN_FILENO, &byte, 1)
                    if count == 1 { return Int32(byte) }
                    if count < 0 && errno == EINTR { continue }
                    return nil
                }
            }
            guard let first = byte() else { return -1 }
            var key = first
            let extra = first >= 0xF0 ? 3 : first >= 0xE0 ? 2 : first >= 0xC0 ? 1 : 0
            if extra > 0 {
                key = first & (0x3F >> extra)
                for _ in 0..<extra {
                    guard let next = byte() else { return -1 }
                    key = key << 6 | (next & 0x3F)
                }
            }
            switch key {
            case 0x12, 0x13: LineEditor.searching = true
            case 0x0A, 0x0D:
                if LineEditor.searching { LineEditor.searchAccepted = true }
                LineEditor.searching = false
            case 0x08, 0x7F: break
            case 0..<0x20: LineEditor.searching = false
            default: break
            }
            return key
        }
    }

    init(prompt: String, show: @escaping @Sendable (Record) -> String) {
        self.prompt = prompt
        self.show = show
        (lines, sink) = AsyncStream.makeStream(of: Input.self)
    }

    /// The connection whose events to show (a new one after a reconnection).
    func attach(_ source: Source) {
        self.source.withLockedValue { $0 = source }
        disconnectTold.withLockedValue { $0 = false }
    }

    func start() {
        Thread { self.run() }.start()
    }

    /// The command for the last line is done: give the prompt back.
    func done() { turn.signal() }

    /// Ends the editor and restores the terminal before returning.
    func finish() {
        quitting.withLockedValue { $0 = true }
        turn.signal()
        stopped.wait()
    }

    private func run() {
        defer { stopped.signal() }
        install()
        // Ctrl-C at the prompt clears the line, as in a shell, instead of ending the session: while editing, the
        // terminal passes it on as a key (no SIGINT), and the key kills the whole line. While a command runs
        // the terminal is back in its own mode, and Ctrl-C interrupts the client as before.
        _ = rl_parse_and_bind("setty -d -isig")
        _ = rl_parse_and_bind("bind ^C em-kill-line")
        while !quitting.withLockedValue({ $0 }) {
            let waiting = notices.withLockedValue { notices in
                defer { notices = [] }
                return notices
            }
            if !waiting.isEmpty {
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + waiting.map { $0 + "\n" }.joined()).utf8))
                rl_forced_update_display()
            }
            if let current = source.withLockedValue({ $0 }) {
                current.idle()
                let arrived = current.events()
                if !arrived.isEmpty { printAbovePrompt(arrived) }
                if current.closed(),
                    !disconnectTold.withLockedValue({ told in
                        defer { told = true }
                        return told
                    })
                {
                    sink.yield(.disconnected)
                }
            }
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            rl_callback_read_char()
            if Self.entered.isEmpty && Self.searchAccepted {
                Self.searchAccepted = false
                rl_callback_read_char()
            }
            let taken = Self.entered
            Self.entered = []
            for line in taken {
                rl_callback_handler_remove()
                guard let line else {
                    Terminal.out("\n")
                    endedBox.withLockedValue { $0 = true }
                    sink.yield(.end)
                    sink.finish()
                    return
                }
                // Keys typed while the command runs wait for the next prompt, unechoed (see Terminal.echo).
                Terminal.echo(false)
                sink.yield(.line(line.trimmingCharacters(in: .whitespaces)))
                turn.wait()
                Terminal.echo(true)
                if quitting.withLockedValue({ $0 }) { return }
                install()
            }
        }
        rl_callback_handler_remove()
    }

    private func install() {
        rl_callback_handler_install(prompt) { pointer in
            LineEditor.entered.append(pointer.map { String(cString: $0) })
            free(pointer)
        }
    }

    /// Clears the prompt line, prints the events, and lets libedit redraw the prompt and what was typed.
    private func printAbovePrompt(_ records: [Record]) {
        Terminal.out("\r\u{1B}[K" + records.map(show).joined())
        rl_forced_update_display()
    }

    /// A notice above the prompt (reconnecting …), from the session's task while the thread holds the prompt:
    /// the thread prints it and redraws the prompt with what was typed, within a tenth of a second.
    func notice(_ text: String) {
        notices.withLockedValue { $0.append(text) }
    }

    /// Wipes a just-entered secret line from the screen, leaving the prompt and dots (from the session's task,
    /// which has the turn then).
    func mask(_ line: String) {
        guard let columns = Terminal.size?.columns else { return }
        let cells = TerminalText.width(prompt) + TerminalText.width(line)
        let rows = max(1, (cells + columns - 1) / columns)
        Terminal.out("\u{1B}[\(rows)A\r\u{1B}[J" + prompt + String(repeating: "•", count: min(8, line.count)) + "\n")
    }
}
