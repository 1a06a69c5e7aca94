/// The CLP/1 request grammar (Protocol/CLP1.md §4) over one framed request.
///
/// Lexical errors (control bytes, invalid UTF-8, quoting, literals) are found here, scanning left to right so
/// the first fault wins; meaning (verbs, arity, options, values) is `CommandValidator`'s job. The parser is a
/// loop over bytes: no recursion, and it holds nothing beyond the frame it is given.
public enum RequestParser {
    static let space = UInt8(ascii: " ")
    static let lf = UInt8(ascii: "\n")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let equals = UInt8(ascii: "=")

    static func isTagByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    static func isControl(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F }

    /// The request's tag, if its first word is a well-formed tag; used to answer errors tagged.
    public static func readableTag(in frame: some Collection<UInt8>) -> String? {
        var tag: [UInt8] = []
        for byte in frame {
            if byte == space || byte == lf || byte == UInt8(ascii: "\r") { break }
            guard isTagByte(byte), tag.count < ProtocolLimits.maxTagBytes else { return nil }
            tag.append(byte)
        }
        return tag.isEmpty ? nil : String(decoding: tag, as: UTF8.self)
    }

    public static func parse(_ frame: [UInt8], limits: ProtocolLimits = .defaults) -> Result<RawRequest, ProtocolError>
    {
        var cursor = 0
        while cursor < frame.count, frame[cursor] != space, frame[cursor] != lf { cursor += 1 }
        let tagBytes = frame[0..<cursor]
        guard !tagBytes.isEmpty else {
            return .failure(ProtocolError(tag: nil, code: .badTag, message: "request has no tag"))
        }
        guard tagBytes.count <= ProtocolLimits.maxTagBytes else {
            return .failure(
                ProtocolError(
                    tag: nil, code: .badTag, message: "tag is longer than \(ProtocolLimits.maxTagBytes) bytes"))
        }
        guard tagBytes.allSatisfy(isTagByte) else {
            return .failure(
                ProtocolError(tag: nil, code: .badTag, message: "tag may hold only ASCII letters, digits and . - _"))
        }
        let tag = String(decoding: tagBytes, as: UTF8.self)
        var lexer = Lexer(bytes: frame, position: cursor, tag: tag, limits: limits)
        switch lexer.tokens() {
        case .success(let tokens):
            guard !tokens.isEmpty else {
                return .failure(ProtocolError(tag: tag, code: .missingCommand, message: "no command after the tag"))
            }
            return .success(RawRequest(tag: tag, tokens: tokens))
        case .failure(let error):
            return .failure(error)
        }
    }
}

/// Reads tokens from `position` to the end of the frame.
private struct Lexer {
    let bytes: [UInt8]
    var position: Int
    let tag: String
    let limits: ProtocolLimits

    typealias R = RequestParser

    func error(_ code: ErrorCode, _ message: String) -> ProtocolError {
        ProtocolError(tag: tag, code: code, message: message)
    }

    var atEnd: Bool { position >= bytes.count }

    mutating func tokens() -> Result<[Token], ProtocolError> {
        var tokens: [Token] = []
        while true {
            while !atEnd, bytes[position] == R.space { position += 1 }
            if atEnd { return .success(tokens) }
            switch token() {
            case .success(let token): tokens.append(token)
            case .failure(let error): return .failure(error)
            }
            // Tokens are separated by spaces; anything else straight after a token is a syntax error.
            if !atEnd && bytes[position] != R.space {
                return .failure(error(.badSyntax, "expected a space after \(describe(tokens.last!))"))
            }
        }
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .quoted: return "a quoted string"
        case .literal: return "a literal"
        case .atom(let text): return "\(Sanitise.excerpt(text))"
        case .option(let key, let value):
            switch value {
            case .quoted: return "the quoted value of \(key)="
            case .literal: return "the literal value of \(key)="
            default: return "\(key)="
            }
        }
    }

    mutating func token() -> Result<Token, ProtocolError> {
        let byte = bytes[position]
        if byte == R.quote { return quoted().map(Token.quoted) }
        if byte == R.openBrace { return literal().map(Token.literal) }
        return atomOrOption()
    }

    mutating func atomOrOption() -> Result<Token, ProtocolError> {
        let start = position
        while !atEnd {
            let byte = bytes[position]
            if byte == R.space { break }
            if byte == R.equals {
                let keyBytes = bytes[start..<position]
                position += 1
                return option(keyBytes: keyBytes)
            }
            if let failure = checkAtomByte(byte) { return .failure(failure) }
            position += 1
        }
        return text(bytes[start..<position]).map(Token.atom)
    }

    mutating func option(keyBytes: ArraySlice<UInt8>) -> Result<Token, ProtocolError> {
        guard let first = keyBytes.first, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z"),
            keyBytes.count <= 32,
            keyBytes.allSatisfy({ RequestParser.isTagByte($0) && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "_") })
        else {
            if let bad = keyBytes.first(where: { R.isControl($0) }) {
                return .failure(
                    error(
                        .controlCharacter,
                        "control byte 0x\(String(bad, radix: 16, uppercase: true).leftPadded(to: 2)) in an option name")
                )
            }
            return .failure(
                error(
                    .badOption,
                    "option name \(Sanitise.excerpt(bytes: keyBytes)) is not a letter followed by letters, digits or -")
            )
        }
        let key = String(decoding: keyBytes, as: UTF8.self).lowercased()
        guard !atEnd, bytes[position] != R.space else {
            return .failure(error(.badOption, "option \(key)= has no value (write \(key)=\"\" for empty text)"))
        }
        let value: Result<Token, ProtocolError>
        switch bytes[position] {
        case R.quote: value = quoted().map(Token.quoted)
        case R.openBrace: value = literal().map(Token.literal)
        default:
            let start = position
            while !atEnd, bytes[position] != R.space {
                if let failure = checkAtomByte(bytes[position]) { return .failure(failure) }
                position += 1
            }
            value = text(bytes[start..<position]).map(Token.atom)
        }
        return value.map { .option(key: key, value: $0) }
    }

    /// `=` is allowed inside an option's value atom, so only the bytes forbidden everywhere are checked here.
    func checkAtomByte(_ byte: UInt8) -> ProtocolError? {
        if R.isControl(byte) {
            return error(
                .controlCharacter,
                "control byte 0x\(String(byte, radix: 16, uppercase: true).leftPadded(to: 2)) in a request (quote text, or use a literal)"
            )
        }
        if byte == R.quote || byte == R.backslash || byte == R.openBrace || byte == R.closeBrace {
            return error(
                .badSyntax, "\(Character(Unicode.Scalar(byte))) may not appear inside an unquoted word; quote the text")
        }
        return nil
    }

    mutating func quoted() -> Result<String, ProtocolError> {
        position += 1
        var out: [UInt8] = []
        while !atEnd {
            let byte = bytes[position]
            switch byte {
            case R.quote:
                position += 1
                return text(out[...])
            case R.backslash:
                position += 1
                guard !atEnd, bytes[position] != R.lf else {
                    return .failure(error(.unterminatedQuote, "quoted string is not closed"))
                }
                switch bytes[position] {
                case R.quote: out.append(R.quote)
                case R.backslash: out.append(R.backslash)
                case UInt8(ascii: "n"): out.append(R.lf)
                case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                default:
                    return .failure(
                        error(
                            .badEscape,
                            "unknown escape \\\(Sanitise.excerpt(bytes: bytes[position...], limit: 1)); the escapes are \\\" \\\\ \\n \\r \\t"
                        ))
                }
            case R.lf:
                return .failure(error(.unterminatedQuote, "quoted string is not closed"))
            default:
                if R.isControl(byte) {
                    return .failure(
                        error(
                            .controlCharacter,
                            "control byte 0x\(String(byte, radix: 16, uppercase: true).leftPadded(to: 2)) in a quoted string (use \\n, \\r or \\t)"
                        ))
                }
                out.append(byte)
            }
            position += 1
        }
        return .failure(error(.unterminatedQuote, "quoted string is not closed"))
    }

    mutating func literal() -> Result<String, ProtocolError> {
        position += 1
        var length = 0
        var digits = 0
        while !atEnd, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            digits += 1
            if digits > ProtocolLimits.maxLiteralLengthDigits {
                return .failure(
                    error(.badLiteral, "literal length has more than \(ProtocolLimits.maxLiteralLengthDigits) digits"))
            }
            length = length * 10 + Int(bytes[position] - UInt8(ascii: "0"))
            position += 1
        }
        guard digits > 0, !atEnd, bytes[position] == R.closeBrace else {
            return .failure(error(.badLiteral, "a literal is {n} with n a number of bytes"))
        }
        position += 1
        guard !atEnd, bytes[position] == R.lf else {
            return .failure(error(.badLiteral, "a literal header {n} must end the line"))
        }
        position += 1
        guard length <= limits.maxLiteralBytes else {
            return .failure(
                error(.literalTooLarge, "literal of \(length) bytes is larger than \(limits.maxLiteralBytes)"))
        }
        guard bytes.count - position >= length else {
            return .failure(error(.badLiteral, "literal is shorter than the \(length) bytes it announced"))
        }
        let payload = bytes[position..<(position + length)]
        for byte in payload
        where R.isControl(byte) && byte != UInt8(ascii: "\t") && byte != R.lf && byte != UInt8(ascii: "\r") {
            return .failure(
                error(
                    .controlCharacter,
                    "control byte 0x\(String(byte, radix: 16, uppercase: true).leftPadded(to: 2)) in a literal (only tab, CR and LF are allowed)"
                ))
        }
        position += length
        return text(payload)
    }

    /// Validates UTF-8 and returns the text in NFC.
    func text(_ bytes: ArraySlice<UInt8>) -> Result<String, ProtocolError> {
        guard let string = UTF8Text.decode(bytes) else {
            return .failure(error(.badUTF8, "text is not valid UTF-8"))
        }
        return .success(string)
    }
}
