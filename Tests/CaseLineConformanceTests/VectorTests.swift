import CaseLineProtocol
import NIOCore
import Testing

@Suite("Conformance vectors (Protocol/vectors)")
struct VectorTests {
    static let requests = (try? VectorFile.requestVectors()) ?? []
    static let responses = (try? VectorFile.responseVectors()) ?? []

    @Test func vectorsLoadAndAreNumerous() throws {
        // Loading again without `try?` so that a malformed file fails here with its message.
        let requests = try VectorFile.requestVectors()
        let responses = try VectorFile.responseVectors()
        #expect(requests.count + responses.count >= 150)
        let ids = try VectorFile.loadAll().map { "\($0["file"]!)#\($0["id"]!)" }
        #expect(Set(ids).count == ids.count, "vector ids must be unique within a file")
    }

    @Test("request decodes as expected", arguments: requests)
    func request(_ vector: RequestVector) {
        #expect(vector.decode(chunks: [vector.bytes[...]]) == vector.expected)
    }

    @Test("request decodes the same at every split point", arguments: requests)
    func everySplit(_ vector: RequestVector) {
        let whole = vector.decode(chunks: [vector.bytes[...]])
        for split in 0...vector.bytes.count {
            let parts = [vector.bytes[..<split], vector.bytes[split...]]
            let got = vector.decode(chunks: parts)
            #expect(got == whole, "split at byte \(split)")
            if got != whole { return }
        }
        // And one byte at a time, which is every split at once.
        #expect(vector.decode(chunks: vector.bytes.map { [$0][...] }) == whole)
    }

    @Test("response encodes to the exact bytes", arguments: responses)
    func responseEncodes(_ vector: ResponseVector) {
        #expect(ResponseEncoder.encode(vector.response) == vector.bytes)
    }

    @Test("response bytes parse back to the value", arguments: responses)
    func responseParses(_ vector: ResponseVector) {
        var line = vector.bytes
        #expect(line.suffix(2) == [13, 10])
        line.removeLast(2)
        let parsed = ResponseParser.parse(line)
        #expect(parsed == .success(vector.response.normalised))
    }
}

extension Response {
    /// The value a reader sees: NFC values, and free text as the encoder canonicalises it.
    var normalised: Response {
        func nfc(_ fields: [Field]) -> [Field] { fields.map { Field($0.key, UTF8Text.nfc($0.value)) } }
        switch self {
        case .record(let record): return .record(Record(record.type, nfc(record.fields)))
        case .completion(var completion):
            completion.details = nfc(completion.details)
            completion.text = ResponseEncoder.canonicalText(completion.text, afterCode: completion.code != nil)
            return .completion(completion)
        case .bye(let code, let details, let text):
            return .bye(
                code: code, details: nfc(details), text: ResponseEncoder.canonicalText(text, afterCode: code != nil))
        }
    }
}
