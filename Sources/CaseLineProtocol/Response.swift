/// One `key=value` pair of a record or a response code.
public struct Field: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// An untagged data line: `* TYPE key=value …`. Keys keep their order; each record type's key set is
/// documented in Protocol/CLP1.md.
public struct Record: Sendable, Hashable {
    public var type: String
    public var fields: [Field]

    public init(_ type: String, _ fields: [Field] = []) {
        self.type = type
        self.fields = fields
    }

    public subscript(key: String) -> String? { fields.first { $0.key == key }?.value }
}

/// How a tagged request ended.
public enum Status: String, Sendable, Hashable {
    case ok = "OK"
    case no = "NO"
    case bad = "BAD"
}

/// `TAG OK text`, `TAG NO [CODE key=value …] text` or `TAG BAD [CODE] text`. An untagged `* BAD` (a request
/// whose tag could not be read) has a nil tag.
public struct Completion: Sendable, Hashable {
    public var tag: String?
    public var status: Status
    /// The code's wire spelling; kept as text so a client understands codes added after it was built.
    public var code: String?
    public var details: [Field]
    public var text: String

    public init(tag: String?, status: Status, code: String? = nil, details: [Field] = [], text: String) {
        self.tag = tag
        self.status = status
        self.code = code
        self.details = details
        self.text = text
    }

    public init(_ error: ProtocolError) {
        self.init(tag: error.tag, status: .bad, code: error.code.rawValue, text: error.message)
    }

    public var errorCode: ErrorCode? { code.flatMap(ErrorCode.init(rawValue:)) }
}

/// Everything a server sends: data records, completions, and the goodbye line.
public enum Response: Sendable, Hashable {
    case record(Record)
    case completion(Completion)
    /// `* BYE [CODE key=value …] text`: the server closes the connection after this line.
    case bye(code: String?, details: [Field] = [], text: String)
}
