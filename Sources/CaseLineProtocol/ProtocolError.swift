/// A request the codec refused, with the tag it carried when the tag could be read, so that the server can
/// answer `TAG BAD [CODE] text` rather than an untagged `* BAD`.
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    public var tag: String?
    public var code: ErrorCode
    /// Human-readable English text; never contains the offending bytes verbatim beyond a short, sanitised excerpt.
    public var message: String

    public init(tag: String?, code: ErrorCode, message: String) {
        self.tag = tag
        self.code = code
        self.message = message
    }

    public var description: String { "\(tag ?? "*") BAD [\(code.rawValue)] \(message)" }
}
