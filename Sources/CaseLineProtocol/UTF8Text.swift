/// UTF-8 validation and NFC normalisation, the two things every text value goes through on its way in.
public enum UTF8Text {
    /// The bytes as an NFC string, or nil when they are not valid UTF-8 (overlong forms, surrogates and
    /// code points above U+10FFFF are all invalid).
    public static func decode(_ bytes: some Collection<UInt8>) -> String? {
        guard let string = String(validating: bytes, as: UTF8.self) else { return nil }
        return nfc(string)
    }

    /// Canonical composition. The standard library's `_nfcCodeUnits` is used because the protocol module
    /// depends on NIOCore only (not Foundation); ASCII is already NFC and skips the work.
    public static func nfc(_ string: String) -> String {
        if string.utf8.allSatisfy({ $0 < 0x80 }) { return string }
        return String(decoding: string._nfcCodeUnits, as: UTF8.self)
    }
}
