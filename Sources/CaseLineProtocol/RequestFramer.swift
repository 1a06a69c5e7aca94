public import NIOCore

/// Splits a byte stream into whole requests before any grammar runs (as swift-nio-imap's FramingParser does).
///
/// A request is one line, or several when it carries literals: a line ending in `{n}` is followed by exactly
/// n bytes of payload and then the rest of the request. The framer accepts its input split at any byte,
/// never holds more than `ProtocolLimits.maxCommandBytes`, and keeps framing after an error: an overlong line
/// or an oversized literal is answered at once and the announced bytes are skipped without being stored, so
/// the next request is read correctly.
public struct RequestFramer: Sendable {
    /// One whole request: its lines joined by a single LF where a literal header ended a line, the final line
    /// ending removed. Literal payloads are included verbatim.
    public typealias Frame = [UInt8]

    public enum Output: Sendable, Hashable {
        case request(Frame)
        case error(ProtocolError)
    }

    private enum State: Sendable {
        case line
        case literal(remaining: Int)
        /// Skipping the rest of a line that is already answered with an error.
        case discardLine
        case discardLiteral(remaining: Int)
    }

    public let limits: ProtocolLimits
    private var state: State = .line
    private var frame: [UInt8] = []
    private var lineStart = 0
    private var inQuote = false
    private var escaped = false
    /// While discarding: the last bytes of the line, enough to recognise a literal header at its end.
    private var discardTail: [UInt8] = []

    public init(limits: ProtocolLimits = .defaults) {
        self.limits = limits
    }

    /// Bytes held for the request being read (for tests of the memory bound).
    public var bufferedBytes: Int { frame.count }

    /// Consumes bytes from `buffer` until one request (or error) is complete; nil when more bytes are needed.
    public mutating func next(from buffer: inout ByteBuffer) -> Output? {
        while buffer.readableBytes > 0 {
            switch state {
            case .literal(let remaining):
                let take = min(remaining, buffer.readableBytes)
                frame.append(contentsOf: buffer.readBytes(length: take)!)
                state = remaining == take ? .line : .literal(remaining: remaining - take)
                if remaining == take { lineStart = frame.count }
            case .discardLiteral(let remaining):
                let take = min(remaining, buffer.readableBytes)
                buffer.moveReaderIndex(forwardBy: take)
                state = remaining == take ? .discardLine : .discardLiteral(remaining: remaining - take)
            case .line:
                if let output = readLine(from: &buffer) { return output }
            case .discardLine:
                discardLine(from: &buffer)
            }
        }
        return nil
    }

    private mutating func readLine(from buffer: inout ByteBuffer) -> Output? {
        var output: Output?
        let consumed = buffer.withUnsafeReadableBytes { bytes -> Int in
            for (index, byte) in bytes.enumerated() {
                if byte == UInt8(ascii: "\n") {
                    if frame.count > lineStart, frame.last == UInt8(ascii: "\r") { frame.removeLast() }
                    output = endOfLine()
                    if output != nil || !isReadingLine { return index + 1 }
                    continue
                }
                // A CR may sit one past the limit: it is part of the line ending if an LF follows.
                let lineLength = frame.count - lineStart
                if lineLength > limits.maxLineBytes || (lineLength == limits.maxLineBytes && byte != UInt8(ascii: "\r"))
                {
                    output = fail(
                        .lineTooLong, "line is longer than \(limits.maxLineBytes) bytes", then: .discardLine,
                        lastByte: byte)
                    return index + 1
                }
                // As for lines, a final CR may sit one past the limit.
                if frame.count > limits.maxCommandBytes
                    || (frame.count == limits.maxCommandBytes && byte != UInt8(ascii: "\r"))
                {
                    output = fail(
                        .commandTooLarge, "request is larger than \(limits.maxCommandBytes) bytes", then: .discardLine,
                        lastByte: byte)
                    return index + 1
                }
                frame.append(byte)
                trackQuote(byte)
            }
            return bytes.count
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        return output
    }

    private var isReadingLine: Bool {
        if case .line = state { return true }
        return false
    }

    private mutating func trackQuote(_ byte: UInt8) {
        if escaped {
            escaped = false
        } else if inQuote && byte == UInt8(ascii: "\\") {
            escaped = true
        } else if byte == UInt8(ascii: "\"") {
            inQuote.toggle()
        }
    }

    private mutating func endOfLine() -> Output? {
        let quoteOpen = inQuote
        inQuote = false
        escaped = false
        if !quoteOpen, let length = Self.literalHeader(endingAt: frame.count, in: frame, from: lineStart) {
            if length > limits.maxLiteralBytes {
                return fail(
                    .literalTooLarge, "literal of \(length) bytes is larger than \(limits.maxLiteralBytes)",
                    then: .discardLiteral(remaining: length))
            }
            if frame.count + 1 + length > limits.maxCommandBytes {
                return fail(
                    .commandTooLarge, "request is larger than \(limits.maxCommandBytes) bytes",
                    then: .discardLiteral(remaining: length))
            }
            frame.append(UInt8(ascii: "\n"))
            lineStart = frame.count
            state = length > 0 ? .literal(remaining: length) : .line
            return nil
        }
        defer { reset() }
        if frame.allSatisfy({ $0 == UInt8(ascii: " ") }) { return nil }
        return .request(frame)
    }

    private mutating func discardLine(from buffer: inout ByteBuffer) {
        let consumed = buffer.withUnsafeReadableBytes { bytes -> Int in
            for (index, byte) in bytes.enumerated() {
                if byte == UInt8(ascii: "\n") {
                    finishDiscardedLine()
                    return index + 1
                }
                trackQuote(byte)
                if discardTail.count == 16 { discardTail.removeFirst() }
                discardTail.append(byte)
            }
            return bytes.count
        }
        buffer.moveReaderIndex(forwardBy: consumed)
    }

    /// A skipped line may end in a literal header whose payload must be skipped too.
    private mutating func finishDiscardedLine() {
        if discardTail.last == UInt8(ascii: "\r") { discardTail.removeLast() }
        let quoteOpen = inQuote
        inQuote = false
        escaped = false
        if !quoteOpen, let length = Self.literalHeader(endingAt: discardTail.count, in: discardTail, from: 0) {
            discardTail.removeAll(keepingCapacity: true)
            state = .discardLiteral(remaining: length)
        } else {
            reset()
        }
    }

    /// Answers the request now and skips what is left of it.
    private mutating func fail(_ code: ErrorCode, _ message: String, then next: State, lastByte: UInt8? = nil) -> Output
    {
        let tag = RequestParser.readableTag(in: frame)
        // Keep enough of the line's end to recognise a literal header that may close the skipped line.
        discardTail = lastByte == nil ? [] : Array(frame.suffix(16))
        if let lastByte {
            trackQuote(lastByte)
            discardTail.append(lastByte)
        }
        frame.removeAll(keepingCapacity: false)
        lineStart = 0
        state = next
        return .error(ProtocolError(tag: tag, code: code, message: message))
    }

    private mutating func reset() {
        frame.removeAll(keepingCapacity: frame.capacity <= 4096)
        lineStart = 0
        state = .line
        inQuote = false
        escaped = false
        discardTail.removeAll(keepingCapacity: true)
    }

    /// The length announced by a `{n}` header that ends the line `bytes[start..<end]`, if there is one.
    /// The `{` must begin a token (after a space, `=`, or at the start of the line segment).
    static func literalHeader(endingAt end: Int, in bytes: [UInt8], from start: Int) -> Int? {
        guard end - start >= 3, bytes[end - 1] == UInt8(ascii: "}") else { return nil }
        var index = end - 2
        var value = 0
        var multiplier = 1
        var digits = 0
        while index >= start, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            digits += 1
            if digits > ProtocolLimits.maxLiteralLengthDigits { return nil }
            value += Int(bytes[index] - UInt8(ascii: "0")) * multiplier
            multiplier *= 10
            index -= 1
        }
        guard digits > 0, index >= start, bytes[index] == UInt8(ascii: "{") else { return nil }
        if index > start {
            let before = bytes[index - 1]
            guard before == UInt8(ascii: " ") || before == UInt8(ascii: "=") else { return nil }
        }
        return value
    }
}
