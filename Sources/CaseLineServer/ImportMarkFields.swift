import CaseLineDomain
import CaseLineProtocol

extension ImportMark {
    /// What CASE and TASK records show of an imported record's origin (CLP1.md §11).
    var fields: [Field] {
        var fields = [
            Field("imported-from", source), Field("imported-line", String(line)), Field("import-id", importID),
            Field("import-key", key),
        ]
        if let successor { fields.append(Field("successor", successor)) }
        return fields
    }
}
