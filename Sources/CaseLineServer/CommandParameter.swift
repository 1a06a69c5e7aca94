import CaseLineDomain
import CaseLineProtocol

/// A parameter as a command's definition declares it and its handler reads it: the grammar (name, kind,
/// required, secret) and how its validated text becomes a typed value. One value serves both places, so the
/// definition and the handler cannot disagree on a parameter's name or kind, and no handler parses text.
protocol ParameterDeclaration: Sendable {
    var spec: CommandSpec.Parameter { get }
    /// The typed value of a validated text, nil if it does not fit (the grammar and the type disagree).
    func typed(_ text: String) -> (any Sendable)?
}

/// An optional parameter: reading it gives `Value?`.
struct Param<Value: Sendable>: ParameterDeclaration {
    let spec: CommandSpec.Parameter
    let decode: @Sendable (String) -> Value?

    init(_ spec: CommandSpec.Parameter, decode: @escaping @Sendable (String) -> Value?) {
        self.spec = spec
        self.decode = decode
    }

    func typed(_ text: String) -> (any Sendable)? { decode(text) }

    /// The same parameter, required by the grammar: reading it gives `Value`.
    var required: Required<Value> {
        Required(
            CommandSpec.Parameter(spec.name, spec.kind, required: true, secret: spec.secret), decode: decode)
    }

    /// The same parameter, secret (passwords, tokens: kept out of logs, history and echoed errors).
    var secret: Param<Value> {
        Param(CommandSpec.Parameter(spec.name, spec.kind, required: spec.required, secret: true), decode: decode)
    }
}

/// A parameter the grammar requires: the validator has refused any request without it.
struct Required<Value: Sendable>: ParameterDeclaration {
    let spec: CommandSpec.Parameter
    let decode: @Sendable (String) -> Value?

    init(_ spec: CommandSpec.Parameter, decode: @escaping @Sendable (String) -> Value?) {
        self.spec = spec
        self.decode = decode
    }

    func typed(_ text: String) -> (any Sendable)? { decode(text) }

    var secret: Required<Value> {
        Required(CommandSpec.Parameter(spec.name, spec.kind, required: true, secret: true), decode: decode)
    }
}

// MARK: Kinds

extension Param where Value == String {
    /// Text of at most `max` characters (NFC).
    static func text(_ name: String, max: Int) -> Param<String> {
        Param(.init(name, .text(maxCharacters: max))) { $0 }
    }

    /// A name or id: ASCII letters, digits and `. _ - : @ /`.
    static func id(_ name: String) -> Param<String> { Param(.init(name, .identifier)) { $0 } }

    /// A calendar date, `YYYY-MM-DD` (compared as text: the format sorts as the calendar does).
    static func date(_ name: String) -> Param<String> { Param(.init(name, .date)) { $0 } }

    /// `KIND:ID` of an entity of one of these kinds.
    static func entity(_ name: String, kinds: [EntityKind]) -> Param<String> {
        Param(.init(name, .entity(kinds: kinds.map(\.rawValue)))) { $0 }
    }

    /// A SHA-256 fingerprint, lower-case hex.
    static func fingerprint(_ name: String) -> Param<String> { Param(.init(name, .fingerprint)) { $0 } }
}

extension Param where Value == Int64 {
    static func integer(_ name: String, _ range: ClosedRange<Int64>) -> Param<Int64> {
        Param(.init(name, .integer(range))) { Int64($0) }
    }

    /// Whole đồng.
    static func amount(_ name: String) -> Param<Int64> { Param(.init(name, .amount)) { Int64($0) } }
    /// A `decimal` value, in hundredths (`0.54` → 54).
    static func decimal(_ name: String) -> Param<Int64> {
        Param(.init(name, .decimal)) { try? ValueKind.checkDecimal($0).get() }
    }
}

extension Param where Value == Int {
    /// A small count or year, as `Int`.
    static func number(_ name: String, _ range: ClosedRange<Int>) -> Param<Int> {
        Param(.init(name, .integer(Int64(range.lowerBound)...Int64(range.upperBound)))) { Int($0) }
    }
}

extension Param where Value == Bool {
    static func boolean(_ name: String) -> Param<Bool> { Param(.init(name, .boolean)) { $0 == "yes" } }
}

extension Param where Value == UnitRef {
    /// `CODE` (2025 edition) or `legacy:CODE`.
    static func unit(_ name: String) -> Param<UnitRef> { Param(.init(name, .unit)) { UnitRef(wire: $0) } }
}

extension Param where Value == Scope {
    static func scope(_ name: String) -> Param<Scope> { Param(.init(name, .scope)) { Scope(wire: $0) } }
}

extension Param where Value == [ChainStep] {
    /// Steps of the roles that decide cases (never admins or auditors), at the chain levels.
    static func chain(_ name: String) -> Param<[ChainStep]> {
        let roles = Role.allCases.filter { $0 != .admin && $0 != .auditor }.map(\.rawValue)
        return Param(.init(name, .chain(roles: roles, levels: ChainStep.Level.allCases.map(\.rawValue)))) {
            ChainStep.parse($0)
        }
    }
}

extension Param where Value == [CaseFile.Funding] {
    static func funding(_ name: String) -> Param<[CaseFile.Funding]> {
        Param(.init(name, .funding(sources: FundingSource.allCases.map(\.rawValue)))) { text in
            var items: [CaseFile.Funding] = []
            for item in text.split(separator: ",") {
                let parts = item.split(separator: ":")
                guard parts.count == 2, let amount = Int64(parts[1]) else { return nil }
                items.append(CaseFile.Funding(source: String(parts[0]), amount: amount))
            }
            return items
        }
    }
}

extension Param where Value == [String] {
    /// A comma-separated list of ids or short texts.
    static func list(_ name: String, of inner: ValueKind, max: Int) -> Param<[String]> {
        Param(.init(name, .list(inner, maxItems: max))) { $0.split(separator: ",").map(String.init) }
    }
}

extension Param {
    /// One of an enumeration's cases (or of the given ones), spelled as the enumeration spells them: the choice
    /// list is the enumeration itself, so the grammar cannot offer a value the domain does not know.
    static func choice(_ name: String, _ cases: [Value]) -> Param<Value>
    where Value: RawRepresentable, Value.RawValue == String {
        Param(.init(name, .choice(cases.map(\.rawValue)))) { Value(rawValue: $0) }
    }

    static func choice(_ name: String) -> Param<Value>
    where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
        choice(name, Array(Value.allCases))
    }

    /// A comma-separated list of an enumeration's cases.
    static func list<Element: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, of type: Element.Type, max: Int
    ) -> Param<[Element]> where Value == [Element], Element.RawValue == String {
        Param(.init(name, .list(.choice(Element.allCases.map(\.rawValue)), maxItems: max))) { text in
            var items: [Element] = []
            for word in text.split(separator: ",") {
                guard let item = Element(rawValue: String(word)) else { return nil }
                items.append(item)
            }
            return items
        }
    }
}
