/// The common case of a JSON array of strings, read without a decoder.
enum JSONStrings {
    /// The strings of `["a", "b"]` when no string holds an escape or a control character; nil for anything
    /// else (escapes, other JSON, malformed text), which the caller leaves to a real JSON decoder.
    static func plain(_ text: String) -> [String]? {
        var text = text
        return text.withUTF8 { bytes -> [String]? in
            var index = 0
            func skipSpace() {
                while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 }
            }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
            index += 1
            skipSpace()
            var strings: [String] = []
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
            } else {
                while true {
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
                    index += 1
                    let start = index
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                        guard bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 else { return nil }
                        index += 1
                    }
                    guard index < bytes.count else { return nil }
                    strings.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                    index += 1
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: "]") {
                        index += 1
                        break
                    }
                    guard bytes[index] == UInt8(ascii: ",") else { return nil }
                    index += 1
                    skipSpace()
                }
            }
            skipSpace()
            return index == bytes.count ? strings : nil
        }
    }
}
