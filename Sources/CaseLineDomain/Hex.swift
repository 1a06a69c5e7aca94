/// Lower-case hexadecimal, as hashes and fingerprints are stored and shown. `String(format: "%02x")` per
/// byte went through Foundation's formatter 32 times per hash: 8 % of the CPU of an acknowledged write,
/// which hashes its audit record (perf, 2026-11-26).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
