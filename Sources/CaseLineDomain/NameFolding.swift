import Foundation

/// The one folding used wherever people type names: NFC, lower case, combining marks (tones and vowel
/// marks) removed, đ/Đ → d (a letter of its own, not a mark, so no Unicode decomposition removes it), and
/// runs of spaces and hyphens as one space. "QUẢNG THUẬN", "Quang-Thuận" and "quang thuan" all fold to
/// "quang thuan".
public enum NameFolding {
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar == " " || scalar == "-" || scalar == "\t" || scalar == "\n" {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(scalar == "đ" ? "d" : scalar)
        }
        return String(out)
    }

    /// Letters and digits in the folded text: a search needs at least two to mean anything.
    public static func significantCount(_ folded: String) -> Int {
        folded.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }.count
    }
}
