import CaseLineProtocol
import CaseLineServer
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer drives the request decoder and the response parser with arbitrary bytes. Besides "never
// crashes", it checks the properties the server relies on: the decoder gives the same answers whether the
// bytes arrive whole or split, never buffers more than the request limit, and every command it accepts
// encodes back to bytes that decode to the same command; every response line it parses re-encodes to a
// line that parses the same. Built and run by Tools/fuzz.

/// Small limits, so that inputs of a few kilobytes reach every limit path.
enum Fuzz {
    static let limits = ProtocolLimits(maxLineBytes: 256, maxLiteralBytes: 512, maxCommandBytes: 1024)
}

func decodeAll(_ chunks: [ArraySlice<UInt8>]) -> [Result<Command, ProtocolError>] {
    var decoder = RequestDecoder(limits: Fuzz.limits, table: CommandRegistry.table)
    var outputs: [Result<Command, ProtocolError>] = []
    var buffer = ByteBuffer()
    for chunk in chunks {
        buffer.writeBytes(chunk)
        while let output = try! decoder.decode(buffer: &buffer) {
            outputs.append(output)
        }
        // The bound the server's memory safety rests on.
        precondition(decoder.bufferedBytes <= Fuzz.limits.maxCommandBytes, "decoder holds more than max-command")
        buffer.discardReadBytes()
    }
    return outputs
}

func checkRequests(_ bytes: [UInt8]) {
    let whole = decodeAll([bytes[...]])
    // Split points chosen by the input itself, so the fuzzer can steer them.
    let step = bytes.first.map { Int($0 % 7) + 1 } ?? 1
    var chunks: [ArraySlice<UInt8>] = []
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + step)
        chunks.append(bytes[start..<end])
        start = end
    }
    let split = decodeAll(chunks)
    precondition(whole == split, "splitting the input changed the decoder's answers")

    for case .success(let command) in whole {
        let encoded = RequestEncoder.encode(command)
        var decoder = RequestDecoder(table: CommandRegistry.table)
        var buffer = ByteBuffer(bytes: encoded)
        let again = try! decoder.decode(buffer: &buffer)
        precondition(again == .success(command), "an accepted command does not survive encode → decode")
        precondition(buffer.readableBytes == 0, "the encoder wrote more than one request")
    }
}

func checkResponse(_ bytes: [UInt8]) {
    for line in bytes.split(separator: 10, omittingEmptySubsequences: true) {
        var body = Array(line)
        if body.last == 13 { body.removeLast() }
        guard case .success(let response) = ResponseParser.parse(body) else { continue }
        var encoded = ResponseEncoder.encode(response)
        precondition(encoded.suffix(2) == [13, 10], "a response line must end in CRLF")
        encoded.removeLast(2)
        precondition(!encoded.contains(10) && !encoded.contains(13), "a response must be one line")
        guard case .success(let reparsed) = ResponseParser.parse(encoded) else {
            preconditionFailure("an encoded response does not parse")
        }
        precondition(ResponseEncoder.encode(reparsed) == ResponseEncoder.encode(response), "response not stable")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkRequests(bytes)
    checkResponse(bytes)
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

// SwiftPM's generated main would shadow libFuzzer's, so the driver is started explicitly.
#if CASELINE_FUZZ
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runFuzzerDriver(&argc, &argv, fuzzOne))
#else
    print("CaseLineFuzz is a libFuzzer target: build and run it with Tools/fuzz.")
#endif
