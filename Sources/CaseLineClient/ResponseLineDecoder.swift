import CaseLineProtocol
import NIOCore

/// Splits the server's byte stream into response lines and parses each. Lines are bounded so that a broken
/// or hostile server cannot make the client buffer without limit.
struct ResponseLineDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = Result<Response, ResponseParser.Failure>

    let maxLineBytes: Int

    mutating func decode(buffer: inout ByteBuffer) throws -> InboundOut? {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maxLineBytes { throw ResponseTooLong() }
            return nil
        }
        var line = Array(buffer.readableBytesView[buffer.readerIndex..<newline])
        buffer.moveReaderIndex(to: newline + 1)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return ResponseParser.parse(line)
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> InboundOut? {
        try decode(buffer: &buffer)
    }
}

struct ResponseTooLong: Error {}
