public import Foundation

/// UTC ISO 8601 with a `Z`, whole seconds (`2026-11-24T03:15:00Z`): the one time format on the wire and in
/// the database, so that stored times sort as text.
public enum Timestamp {
    public static func format(_ date: Date) -> String { date.formatted(.iso8601) }

    public static func parse(_ text: String) -> Date? { try? Date(text, strategy: .iso8601) }
}
