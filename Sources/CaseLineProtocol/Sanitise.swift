/// Short, printable excerpts of client input for error messages: never the whole input, never raw control
/// bytes, so that an error line can be neither long nor a way to inject a second response line.
enum Sanitise {
    static func excerpt(_ text: String, limit: Int = 32) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                out += "…"
                break
            }
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }

    static func excerpt(bytes: some Collection<UInt8>, limit: Int = 32) -> String {
        excerpt(String(decoding: bytes.prefix(limit * 4), as: UTF8.self), limit: limit)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
