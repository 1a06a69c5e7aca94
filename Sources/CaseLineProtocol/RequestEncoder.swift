public import NIOCore

/// Writes requests as a client does, choosing for each value the simplest form that round-trips: an atom,
/// a quoted string (with escapes, so multi-line text stays on one line), or a literal for long text.
public enum RequestEncoder {
    /// Text longer than this travels as a literal, which needs no escaping and does not count toward the
    /// line limit.
    public static let literalThreshold = 1024
    /// Lines are kept well under the smallest line limit a server announces by default, so that several
    /// long values on one request still fit: past this, values go as literals, which start a new line.
    public static let lineBudget = 4000

    public static func encode(_ command: Command, into buffer: inout ByteBuffer) {
        var line = LineWriter(buffer: buffer)
        line.write(command.tag + " " + command.name)
        for argument in command.arguments {
            line.write(" ")
            line.writeValue(argument, allowEquals: false)
        }
        for key in command.options.keys.sorted() {
            line.write(" " + key + "=")
            line.writeValue(command.options[key]!, allowEquals: true)
        }
        line.write("\r\n")
        buffer = line.buffer
    }

    public static func encode(_ command: Command) -> [UInt8] {
        var buffer = ByteBuffer()
        encode(command, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    private struct LineWriter {
        var buffer: ByteBuffer
        var lineStart: Int

        init(buffer: ByteBuffer) {
            self.buffer = buffer
            self.lineStart = buffer.writerIndex
        }

        mutating func write(_ text: String) { buffer.writeString(text) }

        /// A positional atom may not contain `=` (it would read as an option), so such values are quoted.
        mutating func writeValue(_ value: String, allowEquals: Bool) {
            let text = UTF8Text.nfc(value)
            if ResponseEncoder.isAtom(text) && (allowEquals || !text.utf8.contains(UInt8(ascii: "="))) {
                write(text)
                return
            }
            var quoted = ByteBuffer()
            ResponseEncoder.writeValue(text, forceQuoted: true, into: &quoted)
            let lineLength = buffer.writerIndex - lineStart
            if text.utf8.count > RequestEncoder.literalThreshold
                || lineLength + quoted.readableBytes > RequestEncoder.lineBudget
            {
                write("{\(text.utf8.count)}\r\n")
                write(text)
                lineStart = buffer.writerIndex
            } else {
                buffer.writeImmutableBuffer(quoted)
            }
        }
    }
}
