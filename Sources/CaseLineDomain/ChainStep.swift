public import Foundation

/// One step of an approval chain: which role, at which level, decides it (`chair@commune`).
public struct ChainStep: Sendable, Hashable, CustomStringConvertible {
    public enum Level: String, Sendable, Hashable, CaseIterable {
        case commune, province, national
    }

    public var role: Role
    public var level: Level

    public init(role: Role, level: Level) {
        self.role = role
        self.level = level
    }

    /// `role@level`; the codec has already checked the shape.
    public init?(wire: String) {
        let parts = wire.split(separator: "@").map(String.init)
        guard parts.count == 2, let role = Role(rawValue: parts[0]), let level = Level(rawValue: parts[1]) else {
            return nil
        }
        self.init(role: role, level: level)
    }

    public var description: String { "\(role.rawValue)@\(level.rawValue)" }

    public static func list(_ steps: [ChainStep]) -> String { steps.map(\.description).joined(separator: ",") }

    public static func parse(_ text: String) -> [ChainStep]? {
        let steps = text.split(separator: ",").map { ChainStep(wire: String($0)) }
        guard !steps.isEmpty, !steps.contains(where: { $0 == nil }) else { return nil }
        return steps.compactMap { $0 }
    }
}

/// The chain configured for one case kind; submissions snapshot it.
public struct ApprovalChain: Sendable, Hashable {
    public var kind: CaseFile.Kind
    public var steps: [ChainStep]
    public var updatedBy: String?
    public var updatedAt: Date?
    public var revision: Int64

    public init(
        kind: CaseFile.Kind, steps: [ChainStep], updatedBy: String? = nil, updatedAt: Date? = nil, revision: Int64 = 1
    ) {
        self.kind = kind
        self.steps = steps
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
        self.revision = revision
    }

    /// A fresh server asks the commune chair alone, for every kind.
    public static func initial(_ kind: CaseFile.Kind) -> ApprovalChain {
        ApprovalChain(kind: kind, steps: [ChainStep(role: .chair, level: .commune)])
    }

    /// `NO [INVALID]` text for a chain that cannot be set, else nil.
    public static func problem(_ steps: [ChainStep]) -> String? {
        if steps.isEmpty || steps.count > 8 { return "a chain has 1 to 8 steps" }
        if Set(steps).count != steps.count { return "a step may not appear twice" }
        if let bad = steps.first(where: { $0.role == .staff && $0.level != .commune }) {
            return "\(bad) is not possible: staff decide only at commune level"
        }
        if let bad = steps.first(where: { $0.role == .admin || $0.role == .auditor }) {
            return "\(bad) is not possible: admins and auditors never decide cases"
        }
        return nil
    }
}
