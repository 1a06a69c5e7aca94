// The domain model (entities, state machines, permission policy, Vietnamese text folding, poverty rules)
// arrives with the organisation and work issues (#4, #5). The target exists now so the module graph of
// DESIGN.md §2 is fixed from the start.
public enum CaseLineDomain {}
