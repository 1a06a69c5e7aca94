public import NIOCore

/// Writes requests as a client does, choosing for each value the simplest form that round-trips: an atom,
/// a quoted string (with escapes, so multi-line text stays on one line), or a literal for long text.
public enum RequestEncoder {
    /// Text longer than this travels as a literal, which needs no escaping and does not count toward the
    /// line limit.
    public static let literalThreshold = 1024

    public static func encode(_ command: Command, into buffer: inout ByteBuffer) {
        buffer.writeString(command.tag + " " + command.name)
        for argument in command.arguments {
            buffer.writeStaticString(" ")
            writeValue(argument, allowEquals: false, into: &buffer)
        }
        for key in command.options.keys.sorted() {
            buffer.writeString(" " + key + "=")
            writeValue(command.options[key]!, allowEquals: true, into: &buffer)
        }
        buffer.writeStaticString("\r\n")
    }

    public static func encode(_ command: Command) -> [UInt8] {
        var buffer = ByteBuffer()
        encode(command, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// A positional atom may not contain `=` (it would read as an option), so such values are quoted.
    static func writeValue(_ value: String, allowEquals: Bool, into buffer: inout ByteBuffer) {
        let text = UTF8Text.nfc(value)
        if ResponseEncoder.isAtom(text) && (allowEquals || !text.utf8.contains(UInt8(ascii: "="))) {
            buffer.writeString(text)
        } else if text.utf8.count > literalThreshold {
            buffer.writeString("{\(text.utf8.count)}\r\n")
            buffer.writeString(text)
        } else {
            ResponseEncoder.writeValue(text, forceQuoted: true, into: &buffer)
        }
    }
}
