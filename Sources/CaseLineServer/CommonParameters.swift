import CaseLineDomain
import CaseLineProtocol

/// Parameters shared by many commands, so that the same option means the same thing everywhere.
enum Common {
    static let key = Param.id("key")
    static let rev = Param.integer("rev", 1...Int64.max)
    static let requiredRev = rev.required
    static let limit = Param.number("limit", 1...1000)
    static let offset = Param.number("offset", 0...Int(Int32.max))
    static let reason = Param.text("reason", max: 2000)
    static let requiredReason = reason.required
    static let decision = Param.text("decision", max: 64).required
    static let province = Param.unit("province")
    static let commune = Param.unit("commune")
    /// A legacy district (`legacy:CODE`), for lists of records filed under its communes before July 2025.
    static let district = Param.unit("district")
    static let edition = Param<Edition>.choice("edition")
    static let description = Param.text("description", max: 1_000_000)
    /// The entity a command acts on: `T-4`, `C-7`, `AS-2`, `lan` …
    static let id = Param.id("id").required

    /// The roles that may write work (tasks, cases) and decide cases; admins administer and auditors read.
    static let deciders: Set<Role> = [.chair, .deputy, .officer, .staff]
    static let writers: Set<Role> = [.admin, .chair, .deputy, .officer, .staff]
    static let leaders: Set<Role> = [.admin, .chair, .deputy]
}

extension Param where Value == String {
    /// One of these words (not an enumeration of the domain: a standard's name, a status a list filters by).
    static func choice(_ name: String, words: [String]) -> Param<String> {
        Param(.init(name, .choice(words))) { $0 }
    }
}
