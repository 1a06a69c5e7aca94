public import CaseLineDomain
import Foundation

/// How an event's details and concerns are kept as text, the same in every backend, so that an event reads
/// back exactly as it was raised (details in their order, concerns as a set) whichever store wrote it.
public enum EventEncoding {
    /// `[[key, value], …]` as JSON, in the order the details are sent.
    public static func details(_ details: [EventDetail]) -> String {
        let pairs = details.map { [$0.key, $0.value] }
        return String(decoding: (try? JSONEncoder().encode(pairs)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// The details of `details(_:)`'s text; pairs that are not two strings are skipped, unreadable text gives none.
    public static func details(from text: String) -> [EventDetail] {
        let pairs = (try? JSONDecoder().decode([[String]].self, from: Data(text.utf8))) ?? []
        return pairs.compactMap { $0.count == 2 ? EventDetail($0[0], $0[1]) : nil }
    }

    /// The logins as `,a,b,` (sorted, comma-delimited at both ends; `,,` for none), so that "concerns lan" is the
    /// substring test `LIKE '%,lan,%'` in any SQL; no login holds a comma.
    public static func concerns(_ logins: Set<String>) -> String {
        "," + logins.sorted().joined(separator: ",") + ","
    }

    public static func concerns(from text: String) -> Set<String> {
        Set(text.split(separator: ",").map(String.init))
    }

    /// An event as stored: the draft's fields, the actor and the time of the change that raised it.
    public static func event(
        sequence: Int64, at: String, type: String, actor: String, onBehalfOf: String?, province: String?,
        commune: String?, details: String, concerns: String
    ) -> Event? {
        guard let type = EventType(rawValue: type) else { return nil }
        return Event(
            sequence: sequence, at: Timestamp.parse(at) ?? Date(timeIntervalSince1970: 0), actor: actor,
            onBehalfOf: onBehalfOf,
            draft: EventDraft(
                type, province: province, commune: commune, details: Self.details(from: details),
                concerns: Self.concerns(from: concerns)))
    }
}
