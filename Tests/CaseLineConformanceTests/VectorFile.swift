import CaseLineProtocol
import CaseLineServer
import Foundation
import NIOCore
import Testing

/// Loads `Protocol/vectors/*.json` (format: Protocol/vectors/README.md).
struct VectorFile {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/vectors")
    }

    static func loadAll() throws -> [[String: Any]] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var all: [[String: Any]] = []
        for file in files {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file))
            guard let root = object as? [String: Any], let vectors = root["vectors"] as? [[String: Any]] else {
                throw VectorError("\(file.lastPathComponent): no \"vectors\" array")
            }
            for var vector in vectors {
                vector["file"] = file.lastPathComponent
                all.append(vector)
            }
        }
        return all
    }

    static func requestVectors() throws -> [RequestVector] {
        try loadAll().filter { $0["request"] != nil || $0["request_hex"] != nil }.map(RequestVector.init)
    }

    static func responseVectors() throws -> [ResponseVector] {
        try loadAll().filter { $0["response"] != nil }.map(ResponseVector.init)
    }
}

struct VectorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Request bytes and what decoding them must give, in order.
struct RequestVector: CustomTestStringConvertible, Sendable {
    let id: String
    let bytes: [UInt8]
    let limits: ProtocolLimits
    let expected: [Expected]

    enum Expected: Equatable, Sendable, CustomStringConvertible {
        case command(Command)
        case error(tag: String?, code: String)

        var description: String {
            switch self {
            case .command(let c):
                return "command \(c.tag) \(c.name) args=\(c.arguments) options=\(c.options.sorted { $0.key < $1.key })"
            case .error(let tag, let code): return "error \(tag ?? "*") \(code)"
            }
        }
    }

    var testDescription: String { id }

    init(_ json: [String: Any]) throws {
        let file = json["file"] as? String ?? "?"
        guard let id = json["id"] as? String else { throw VectorError("\(file): a vector has no id") }
        self.id = "\(file)#\(id)"
        if let text = json["request"] as? String {
            bytes = Array(text.utf8)
        } else if let hex = json["request_hex"] as? String {
            bytes = try Self.decodeHex(hex, id: self.id)
        } else {
            throw VectorError("\(self.id): no request")
        }
        var limits = ProtocolLimits.defaults
        if let given = json["limits"] as? [String: Int] {
            limits = ProtocolLimits(
                maxLineBytes: given["max_line"] ?? limits.maxLineBytes,
                maxLiteralBytes: given["max_literal"] ?? limits.maxLiteralBytes,
                maxCommandBytes: given["max_command"] ?? limits.maxCommandBytes)
        }
        self.limits = limits
        guard let expect = json["expect"] as? [[String: Any]] else { throw VectorError("\(self.id): no expect list") }
        expected = try expect.map { item in
            if let command = item["command"] as? [String: Any] {
                guard let tag = command["tag"] as? String, let name = command["name"] as? String else {
                    throw VectorError("\(id): command needs tag and name")
                }
                return .command(
                    Command(
                        tag: tag, name: name, arguments: command["arguments"] as? [String] ?? [],
                        options: command["options"] as? [String: String] ?? [:]))
            }
            if let error = item["error"] as? [String: Any], let code = error["code"] as? String {
                return .error(tag: error["tag"] as? String, code: code)
            }
            throw VectorError("\(id): each expect item is {\"command\": …} or {\"error\": …}")
        }
    }

    static func decodeHex(_ hex: String, id: String) throws -> [UInt8] {
        let digits = Array(hex.filter { !$0.isWhitespace })
        guard digits.count % 2 == 0 else { throw VectorError("\(id): odd number of hex digits") }
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else {
                throw VectorError("\(id): bad hex")
            }
            return byte
        }
    }

    /// Decodes `bytes` fed in the given chunks; returns every output.
    func decode(chunks: [ArraySlice<UInt8>]) -> [Expected] {
        var decoder = RequestDecoder(limits: limits, table: CommandRegistry.table)
        var buffer = ByteBuffer()
        var outputs: [Expected] = []
        for chunk in chunks {
            buffer.writeBytes(chunk)
            while let result = try? decoder.decode(buffer: &buffer) {
                switch result {
                case .success(let command): outputs.append(.command(command))
                case .failure(let error): outputs.append(.error(tag: error.tag, code: error.code.rawValue))
                }
            }
            buffer.discardReadBytes()
        }
        return outputs
    }
}

/// A response value and its exact bytes.
struct ResponseVector: CustomTestStringConvertible, Sendable {
    let id: String
    let response: Response
    let bytes: [UInt8]
    var testDescription: String { id }

    init(_ json: [String: Any]) throws {
        let file = json["file"] as? String ?? "?"
        id = "\(file)#\(json["id"] as? String ?? "?")"
        guard let bytes = json["bytes"] as? String, let value = json["response"] as? [String: Any] else {
            throw VectorError("\(id): needs response and bytes")
        }
        self.bytes = Array(bytes.utf8)
        let vectorID = id
        func fields(_ any: Any?) throws -> [Field] {
            guard let any else { return [] }
            guard let pairs = any as? [[String]], pairs.allSatisfy({ $0.count == 2 }) else {
                throw VectorError("\(vectorID): fields are [[key, value], …]")
            }
            return pairs.map { Field($0[0], $0[1]) }
        }
        if let record = value["record"] as? [String: Any], let type = record["type"] as? String {
            self.response = .record(Record(type, try fields(record["fields"])))
        } else if let completion = value["completion"] as? [String: Any],
            let status = (completion["status"] as? String).flatMap(Status.init(rawValue:))
        {
            self.response = .completion(
                Completion(
                    tag: completion["tag"] as? String, status: status, code: completion["code"] as? String,
                    details: try fields(completion["details"]), text: completion["text"] as? String ?? ""))
        } else if let bye = value["bye"] as? [String: Any] {
            self.response = .bye(
                code: bye["code"] as? String, details: try fields(bye["details"]), text: bye["text"] as? String ?? "")
        } else {
            throw VectorError("\(id): response is {record|completion|bye: …}")
        }
    }
}
