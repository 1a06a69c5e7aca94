/// A percentage in hundredths of a percent, computed from integers so that every report gives the same figure
/// for the same counts: `Rate.of(539, 87_800)` is 61 (0.61 %). Rounded half up — the rule the programme's
/// reports follow when they print two decimals — and never through floating point.
public enum Rate {
    /// `count / total` as hundredths of a percent, rounded half up; nil when there is no total.
    public static func of(_ count: Int, _ total: Int) -> Int? {
        guard count >= 0 else { return nil }
        return of(Int64(count), Int64(total)).map { Int($0) }
    }

    /// The same for amounts of money: in 128 bits, since amounts reach 10^15 VND and 10^15 × 20,000 does not
    /// fit in 64. A negative count is rounded on its magnitude and keeps its sign.
    public static func of(_ count: Int64, _ total: Int64) -> Int64? {
        guard total > 0 else { return nil }
        // hundredths = round(count × 10000 / total) = floor((2 × count × 10000 + total) / (2 × total))
        let hundredths = (Int128(count.magnitude) * 20_000 + Int128(total)) / (2 * Int128(total))
        return count < 0 ? -Int64(hundredths) : Int64(hundredths)
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
