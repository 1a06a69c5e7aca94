/// Text as a terminal shows it: what could deceive a reader made visible, widths in terminal cells, and cuts
/// that never split a character.
///
/// A value from the server is data, not terminal control: a right-to-left override (U+202E) would let "FAKE"
/// be drawn over "Real title", a bare carriage return would let a later part overwrite an earlier one, and an
/// escape sequence could repaint the screen. On display they become visible escapes (`<U+202E>`, `\r`,
/// `\x1b`); raw, JSON and CSV output stay exact.
public enum TerminalText {
    /// Bidirectional controls: embeddings, overrides, isolates and marks.
    static func isBidiControl(_ value: UInt32) -> Bool {
        (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x200E
            || value == 0x200F || value == 0x061C
    }

    /// The text with every control character and bidi control replaced by a visible escape; a line feed
    /// becomes ` ⏎ ` unless `keepNewlines` (for views that break lines themselves).
    public static func neutralise(_ text: String, keepNewlines: Bool = false) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x0A: out += keepNewlines ? "\n" : " ⏎ "
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x00..<0x20, 0x7F:
                out += "\\x" + String(value, radix: 16).leftPadded(to: 2)
            case 0x80..<0xA0:
                out += "<U+" + String(value, radix: 16, uppercase: true).leftPadded(to: 4) + ">"
            default:
                if isBidiControl(value) {
                    out += "<U+" + String(value, radix: 16, uppercase: true).leftPadded(to: 4) + ">"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Terminal cells one character takes: two for East Asian wide characters and emoji, none for a lone
    /// zero-width format character, one otherwise (a base letter with its combining marks included).
    public static func width(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        if first.properties.generalCategory == .format || first.properties.generalCategory == .nonspacingMark {
            return 0
        }
        let wide =
            first.properties.isEmojiPresentation
            || [
                0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD,
            ].contains { $0.contains(Int(first.value)) }
        return wide ? 2 : 1
    }

    public static func width(_ text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// At most `cells` terminal cells of the text, ending in `…` when something was cut; never half a
    /// character (a wide character that does not fit is left out whole).
    public static func truncate(_ text: String, to cells: Int) -> String {
        guard width(text) > cells else { return text }
        guard cells > 0 else { return "" }
        var out = ""
        var used = 0
        for character in text {
            let w = width(of: character)
            if used + w > cells - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// The text broken into lines of at most `cells` cells, at spaces where it can, inside a word where a
    /// word is longer than a line; never inside a character.
    public static func wrap(_ text: String, to cells: Int) -> [String] {
        guard cells > 0 else { return [text] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var used = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                let wordWidth = width(String(word))
                let needed = used == 0 ? wordWidth : used + 1 + wordWidth
                if needed <= cells {
                    line += (used == 0 && line.isEmpty ? "" : " ") + word
                    used = needed
                    continue
                }
                if !line.isEmpty || used > 0 {
                    lines.append(line)
                    line = ""
                    used = 0
                }
                var rest = Substring(word)
                while width(String(rest)) > cells {
                    var piece = ""
                    var pieceWidth = 0
                    while let character = rest.first, pieceWidth + width(of: character) <= cells {
                        piece.append(character)
                        pieceWidth += width(of: character)
                        rest = rest.dropFirst()
                    }
                    if piece.isEmpty, let character = rest.first {  // wider than a whole line: alone on it
                        piece.append(character)
                        rest = rest.dropFirst()
                    }
                    lines.append(piece)
                }
                line = String(rest)
                used = width(line)
            }
            lines.append(line)
        }
        return lines
    }

    /// The text padded with spaces to `cells` cells.
    public static func pad(_ text: String, to cells: Int) -> String {
        let missing = cells - width(text)
        return missing > 0 ? text + String(repeating: " ", count: missing) : text
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
