/// The deprivation indicators of one standard, grouped in dimensions. Each decree sets its own list (NĐ
/// 07/2021: 12 indicators in 6 dimensions; NĐ 351/2025 drops one and adds two), so the list is data carried by
/// the standard's description, and a ticked indicator is a code checked against the standard the household is
/// measured by — never a global enum.
public struct DeprivationDimension: Sendable, Hashable, Codable {
    /// Stable, lower-case ASCII (`health`), used in reports.
    public var code: String
    /// As the decree names it (`Y tế`).
    public var name: String
    public var indicators: [DeprivationIndicator]

    public init(code: String, name: String, indicators: [DeprivationIndicator]) {
        self.code = code
        self.name = name
        self.indicators = indicators
    }
}

public struct DeprivationIndicator: Sendable, Hashable, Codable {
    /// Stable, lower-case ASCII (`health-insurance`): what forms, imports and the protocol carry. A code keeps
    /// its meaning across standards; an indicator whose definition changes gets a new code.
    public var code: String
    /// As the decree names it (`Bảo hiểm y tế`).
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

extension [DeprivationDimension] {
    /// Every indicator in the decree's order.
    public var indicators: [DeprivationIndicator] { flatMap(\.indicators) }

    /// The dimension an indicator belongs to.
    public func dimension(of indicatorCode: String) -> DeprivationDimension? {
        first { $0.indicators.contains { $0.code == indicatorCode } }
    }
}

/// The shape every code in a description must have: lower-case ASCII letters, digits and hyphens, starting
/// with a letter, so that it travels as a CLP atom and a CSV cell without quoting.
enum CodeSyntax {
    static func isValid(_ code: String) -> Bool {
        guard let first = code.utf8.first, (0x61...0x7A).contains(first), code.utf8.count <= 40 else { return false }
        return code.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
