public import NIOCore

/// Framing, grammar and command table together: bytes in, `Command`s or tagged errors out.
///
/// As a `NIOSingleStepByteToMessageDecoder` it sits in the server's channel pipeline; tests and the fuzzer
/// drive `decode(buffer:)` directly.
public struct RequestDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    public typealias InboundOut = Result<Command, ProtocolError>

    private var framer: RequestFramer
    private let validator: CommandValidator

    public init(limits: ProtocolLimits = .defaults, table: CommandTable) {
        self.framer = RequestFramer(limits: limits)
        self.validator = CommandValidator(table: table)
    }

    public var bufferedBytes: Int { framer.bufferedBytes }

    public mutating func decode(buffer: inout ByteBuffer) throws -> InboundOut? {
        guard let output = framer.next(from: &buffer) else { return nil }
        switch output {
        case .error(let error):
            return .failure(error)
        case .request(let frame):
            return RequestParser.parse(frame, limits: framer.limits).flatMap(validator.validate)
        }
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> InboundOut? {
        // A request cut off by the end of the stream was never complete; it is dropped, not guessed at.
        try decode(buffer: &buffer)
    }
}
