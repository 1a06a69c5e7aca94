/// Where something lies, for scope decisions: a unit (a committee's, an assignment's commune), a scope (a
/// user's account lies where their scope is), or nowhere in particular (reference data).
public enum Placement: Sendable, Hashable {
    case unit(UnitRef)
    case scope(Scope)
    case everywhere
}
