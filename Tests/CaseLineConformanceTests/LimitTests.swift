import CaseLineProtocol
import CaseLineServer
import NIOCore
import Testing

/// The decoder's memory stays bounded whatever a client sends, and framing recovers after every limit error.
@Suite("Limits and memory bounds")
struct LimitTests {
    let limits = ProtocolLimits(maxLineBytes: 1024, maxLiteralBytes: 4096, maxCommandBytes: 16384)

    /// Feeds `total` bytes from `chunk` repeatedly, recording the largest amount the decoder ever held.
    func stream(
        _ decoder: inout RequestDecoder, prefix: String, chunk: [UInt8], total: Int, suffix: String
    ) -> (outputs: [Result<Command, ProtocolError>], peak: Int) {
        var outputs: [Result<Command, ProtocolError>] = []
        var peak = 0
        func feed(_ bytes: [UInt8]) {
            var buffer = ByteBuffer(bytes: bytes)
            while let output = try? decoder.decode(buffer: &buffer) { outputs.append(output) }
            peak = max(peak, decoder.bufferedBytes + buffer.readableBytes)
        }
        feed(Array(prefix.utf8))
        var sent = 0
        while sent < total {
            feed(chunk)
            sent += chunk.count
        }
        feed(Array(suffix.utf8))
        return (outputs, peak)
    }

    @Test func endlessLineIsRefusedAndSkippedWithBoundedMemory() {
        var decoder = RequestDecoder(limits: limits, table: CommandRegistry.table)
        let result = stream(
            &decoder, prefix: "a1 PING ", chunk: Array(repeating: UInt8(ascii: "x"), count: 4096), total: 8_000_000,
            suffix: "\r\na2 PING\r\n")
        #expect(result.peak <= limits.maxLineBytes + 4096)
        #expect(result.outputs.count == 2)
        if case .failure(let error) = result.outputs[0] {
            #expect(error.tag == "a1")
            #expect(error.code == .lineTooLong)
        }
        #expect(result.outputs.last == .success(Command(tag: "a2", name: "PING")))
    }

    @Test func hugeLiteralIsRefusedAtOnceAndItsBytesSkipped() {
        var decoder = RequestDecoder(limits: limits, table: CommandRegistry.table)
        // 50 MB announced and sent: the answer comes before the bytes, and none of them is kept.
        let result = stream(
            &decoder, prefix: "a1 TASK COMMENT T-1 {50000000}\r\n",
            chunk: Array(repeating: UInt8(ascii: "y"), count: 65536),
            total: 50_000_000 - 50_000_000 % 65536,
            suffix: String(repeating: "y", count: 50_000_000 % 65536) + "\r\na2 PING\r\n")
        #expect(result.peak <= limits.maxLineBytes + 65536)
        #expect(result.outputs.map { $0.errorCode } == [.literalTooLarge, nil])
        #expect(result.outputs.last == .success(Command(tag: "a2", name: "PING")))
    }

    @Test func manyLiteralsCannotExceedTheCommandLimit() {
        var decoder = RequestDecoder(limits: limits, table: CommandRegistry.table)
        let literal = "{4000}\r\n" + String(repeating: "z", count: 4000)
        let request = "a1 PING " + Array(repeating: literal, count: 10).joined(separator: " ") + "\r\na2 PING\r\n"
        var buffer = ByteBuffer(string: request)
        var outputs: [Result<Command, ProtocolError>] = []
        while let output = try? decoder.decode(buffer: &buffer) {
            outputs.append(output)
            #expect(decoder.bufferedBytes <= limits.maxCommandBytes)
        }
        #expect(outputs.map { $0.errorCode } == [.commandTooLarge, nil])
    }

    @Test func configuredLimitsHaveFloors() {
        let tiny = ProtocolLimits(maxLineBytes: 1, maxLiteralBytes: -5, maxCommandBytes: 0)
        #expect(tiny.maxLineBytes == ProtocolLimits.minimumLineBytes)
        #expect(tiny.maxLiteralBytes == 0)
        #expect(tiny.maxCommandBytes == tiny.maxLineBytes)
    }

    /// Random bytes, fed in random pieces: after every piece — whether a request completed or more bytes are
    /// needed — the decoder holds at most the command limit. (The check once ran only after a request had
    /// completed, when the framer had just emptied itself, so it could not fail.)
    @Test func randomBytesNeverCrashAndStayBounded() {
        var generator = SplitMix64(seed: 0xC1_1E)
        let alphabet = Array("a1 PING TASK CREATE x=\"\\{}0123456789\r\n\t\u{0}é".utf8) + [0xFF, 0xC0, 0xE1]
        var peak = 0
        for _ in 0..<300 {
            var decoder = RequestDecoder(limits: limits, table: CommandRegistry.table)
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 3000) {
                bytes.append(alphabet[Int(generator.next() % UInt64(alphabet.count))])
            }
            var offset = 0
            while offset < bytes.count {
                let size = min(bytes.count - offset, 1 + Int(generator.next() % 97))
                var piece = ByteBuffer(bytes: bytes[offset..<offset + size])
                offset += size
                while piece.readableBytes > 0 {
                    let before = piece.readableBytes
                    _ = try? decoder.decode(buffer: &piece)
                    peak = max(peak, decoder.bufferedBytes)
                    #expect(decoder.bufferedBytes <= limits.maxCommandBytes)
                    if piece.readableBytes == before { break }
                }
            }
        }
        #expect(peak > 0, "the bound was never observed with anything buffered")
    }
}

extension Result where Success == Command, Failure == ProtocolError {
    var errorCode: ErrorCode? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}

/// A small deterministic generator, so a failing random test fails the same way every time.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
