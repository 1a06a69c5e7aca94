/// Reads one response line (without its line ending), as a client does. Lenient where leniency is safe:
/// unknown codes and record types pass through, so an older client can talk to a newer server.
public enum ResponseParser {
    public struct Failure: Error, Sendable, Hashable {
        public var message: String
    }

    public static func parse(_ line: [UInt8]) -> Result<Response, Failure> {
        guard let text = String(validating: line, as: UTF8.self) else {
            return .failure(Failure(message: "response is not valid UTF-8"))
        }
        // A server escapes every control character inside quotes; a raw one means a broken or hostile peer.
        guard !line.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            return .failure(Failure(message: "response holds a control character"))
        }
        var scanner = Scanner(text)
        let first = scanner.word()
        guard !first.isEmpty, scanner.skipSpace() || scanner.atEnd else {
            return .failure(Failure(message: "response has no tag"))
        }
        let second = scanner.word()
        if first == "*" {
            switch second {
            case "BYE":
                scanner.skipSpace()
                let code = scanner.bracketedCode()
                return code.map { code in
                    .bye(code: code?.code, details: code?.details ?? [], text: scanner.rest())
                }
            case "OK", "NO", "BAD":
                return completion(tag: nil, status: second, scanner: &scanner)
            case "":
                return .failure(Failure(message: "untagged response has no type"))
            default:
                guard Self.isRecordType(second) else {
                    return .failure(Failure(message: "bad record type \(Sanitise.excerpt(second))"))
                }
                var fields: [Field] = []
                while scanner.skipSpace(), !scanner.atEnd {
                    switch scanner.field() {
                    case .success(let field): fields.append(field)
                    case .failure(let failure): return .failure(failure)
                    }
                }
                return .success(.record(Record(second, fields)))
            }
        }
        return completion(tag: first, status: second, scanner: &scanner)
    }

    /// `1*(A-Z / DIGIT / "-")`: unknown types pass, malformed ones do not.
    static func isRecordType(_ type: String) -> Bool {
        type.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    static func completion(tag: String?, status: String, scanner: inout Scanner) -> Result<Response, Failure> {
        guard let status = Status(rawValue: status) else {
            return .failure(Failure(message: "unknown status \(Sanitise.excerpt(status))"))
        }
        scanner.skipSpace()
        return scanner.bracketedCode().map { code in
            .completion(
                Completion(
                    tag: tag, status: status, code: code?.code, details: code?.details ?? [], text: scanner.rest()))
        }
    }

    struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ text: String) { scalars = Array(text.unicodeScalars) }

        var atEnd: Bool { index >= scalars.count }

        @discardableResult
        mutating func skipSpace() -> Bool {
            let start = index
            while !atEnd, scalars[index] == " " { index += 1 }
            return index > start
        }

        mutating func word() -> String {
            var out = String.UnicodeScalarView()
            while !atEnd, scalars[index] != " " {
                out.append(scalars[index])
                index += 1
            }
            return String(out)
        }

        mutating func rest() -> String {
            var out = String.UnicodeScalarView()
            out.append(contentsOf: scalars[index...])
            index = scalars.count
            return String(out)
        }

        mutating func bracketedCode() -> Result<(code: String, details: [Field])?, Failure> {
            guard !atEnd, scalars[index] == "[" else { return .success(nil) }
            index += 1
            var code = String.UnicodeScalarView()
            while !atEnd, scalars[index] != " ", scalars[index] != "]" {
                code.append(scalars[index])
                index += 1
            }
            var details: [Field] = []
            while true {
                skipSpace()
                guard !atEnd else { return .failure(Failure(message: "response code is not closed by ]")) }
                if scalars[index] == "]" {
                    index += 1
                    skipSpace()
                    return .success((String(code), details))
                }
                switch field() {
                case .success(let field): details.append(field)
                case .failure(let failure): return .failure(failure)
                }
            }
        }

        mutating func field() -> Result<Field, Failure> {
            var key = String.UnicodeScalarView()
            while !atEnd, scalars[index] != "=", scalars[index] != " " {
                key.append(scalars[index])
                index += 1
            }
            guard !atEnd, scalars[index] == "=", !key.isEmpty else {
                return .failure(Failure(message: "expected key=value, found \(Sanitise.excerpt(String(key)))"))
            }
            index += 1
            if !atEnd, scalars[index] == "\"" {
                return quoted().map { Field(String(key), $0) }
            }
            var value = String.UnicodeScalarView()
            while !atEnd, scalars[index] != " ", scalars[index] != "]" {
                value.append(scalars[index])
                index += 1
            }
            return .success(Field(String(key), String(value)))
        }

        mutating func quoted() -> Result<String, Failure> {
            index += 1
            var out = String.UnicodeScalarView()
            while !atEnd {
                let scalar = scalars[index]
                index += 1
                switch scalar {
                case "\"":
                    return .success(String(out))
                case "\\":
                    guard !atEnd else { break }
                    let escaped = scalars[index]
                    index += 1
                    switch escaped {
                    case "n": out.append("\n")
                    case "r": out.append("\r")
                    case "t": out.append("\t")
                    case "\"", "\\": out.append(escaped)
                    default: return .failure(Failure(message: "unknown escape in a response value"))
                    }
                default:
                    out.append(scalar)
                }
            }
            return .failure(Failure(message: "quoted value is not closed"))
        }
    }
}
