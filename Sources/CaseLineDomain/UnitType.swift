/// The types of administrative unit in either edition (the `type` of an `AdminUnit`).
public enum UnitType: String, Sendable, Hashable, CaseIterable {
    case province, city, district, town, commune, ward, township
    case specialZone = "special-zone"
}
