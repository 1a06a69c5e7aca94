public import NIOCore

/// Writes responses. Every response is exactly one line ending in CRLF: values that cannot be atoms are
/// quoted with `\"` `\\` `\n` `\r` `\t` escapes, so a reader never has to handle a literal in a response.
public enum ResponseEncoder {
    public static func encode(_ response: Response, into buffer: inout ByteBuffer) {
        switch response {
        case .record(let record):
            buffer.writeStaticString("* ")
            buffer.writeString(record.type)
            writeFields(record.fields, into: &buffer)
        case .completion(let completion):
            buffer.writeString(completion.tag ?? "*")
            buffer.writeString(" " + completion.status.rawValue)
            if let code = completion.code {
                buffer.writeStaticString(" [")
                buffer.writeString(code)
                writeFields(completion.details, into: &buffer)
                buffer.writeStaticString("]")
            }
            writeText(completion.text, afterCode: completion.code != nil, into: &buffer)
        case .bye(let code, let details, let text):
            buffer.writeStaticString("* BYE")
            if let code {
                buffer.writeString(" [" + code)
                writeFields(details, into: &buffer)
                buffer.writeStaticString("]")
            }
            writeText(text, afterCode: code != nil, into: &buffer)
        }
        buffer.writeStaticString("\r\n")
    }

    public static func encode(_ response: Response) -> [UInt8] {
        var buffer = ByteBuffer()
        encode(response, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    static func writeFields(_ fields: [Field], into buffer: inout ByteBuffer) {
        for field in fields {
            buffer.writeStaticString(" ")
            buffer.writeString(field.key)
            buffer.writeStaticString("=")
            writeValue(field.value, into: &buffer)
        }
    }

    /// Free text after the status, as a reader will see it: one line (line breaks and other control
    /// characters become spaces), without leading spaces (a reader cannot see them), and, when no code
    /// precedes it, never starting with `[` (it becomes `(`) so that it cannot be mistaken for a code.
    public static func canonicalText(_ text: String, afterCode: Bool) -> String {
        var scalars = Substring(UTF8Text.nfc(text)).unicodeScalars.drop {
            $0 == " " || $0.value < 0x20 || $0.value == 0x7F
        }
        var line = String.UnicodeScalarView()
        if !afterCode && scalars.first == "[" {
            line.append("(")
            scalars = scalars.dropFirst()
        }
        for scalar in scalars {
            line.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
        }
        return String(line)
    }

    static func writeText(_ text: String, afterCode: Bool, into buffer: inout ByteBuffer) {
        let line = canonicalText(text, afterCode: afterCode)
        guard !line.isEmpty else { return }
        buffer.writeString(" " + line)
    }

    /// An atom when it can be one (non-empty; no space, control, quote, backslash, brace or bracket), else quoted.
    /// Written byte by byte: the characters escaped are all ASCII, and no byte of a multi-byte UTF-8 sequence
    /// is ASCII, so the UTF-8 form can be escaped in place (a list of tasks spent a fifth of its time building
    /// quoted strings scalar by scalar; perf, 2026-11-26).
    public static func writeValue(_ value: String, forceQuoted: Bool = false, into buffer: inout ByteBuffer) {
        let text = UTF8Text.nfc(value)
        if !forceQuoted && isAtom(text) {
            buffer.writeString(text)
            return
        }
        buffer.writeStaticString("\"")
        var run = text.utf8.startIndex
        for index in text.utf8.indices {
            let byte = text.utf8[index]
            let escape: StaticString
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "\n"): escape = "\\n"
            case UInt8(ascii: "\r"): escape = "\\r"
            case UInt8(ascii: "\t"): escape = "\\t"
            case 0..<0x20, 0x7F: escape = "\u{FFFD}"
            default: continue
            }
            buffer.writeBytes(text.utf8[run..<index])
            buffer.writeStaticString(escape)
            run = text.utf8.index(after: index)
        }
        buffer.writeBytes(text.utf8[run...])
        buffer.writeStaticString("\"")
    }

    /// Brackets are quoted too: an unquoted value inside a response code `[CODE key=value]` ends at `]`.
    public static func isAtom(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                !(byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                    || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "[")
                    || byte == UInt8(ascii: "]"))
            }
    }
}
