/// A percentage in hundredths of a percent, computed from integers so that every report gives the same figure
/// for the same counts: `Rate.of(539, 87_800)` is 61 (0.61 %). Rounded half up — the rule the programme's
/// reports follow when they print two decimals — and never through floating point.
public enum Rate {
    /// `count / total` as hundredths of a percent, rounded half up; nil when there is no total.
    public static func of(_ count: Int, _ total: Int) -> Int? {
        guard total > 0, count >= 0 else { return nil }
        // hundredths = round(count × 10000 / total) = floor((2 × count × 10000 + total) / (2 × total))
        let numerator = 2 * Int64(count) * 10_000 + Int64(total)
        return Int(numerator / (2 * Int64(total)))
    }

    /// Hundredths written with exactly two decimals, as reports print rates: 61 → `0.61`, -7 → `-0.07`.
    public static func text(_ hundredths: Int64) -> String {
        let sign = hundredths < 0 ? "-" : ""
        let (units, rest) = hundredths.magnitude.quotientAndRemainder(dividingBy: 100)
        return "\(sign)\(units).\(rest < 10 ? "0" : "")\(rest)"
    }

    /// The rule in words, for the report's header.
    public static let rule = "percent, 2 decimals, rounded half up from whole counts"
}
