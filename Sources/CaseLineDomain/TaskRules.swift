/// Who may do what to a task, beyond the role check of `AccessPolicy` (CLP1.md §10.7): the state machine
/// and the people each move belongs to. Pure; the caller supplies the facts about the commune.
public enum TaskRules {
    /// What the rules need to know about the caller and the task's commune.
    public struct Facts: Sendable {
        public var user: User
        /// The caller holds an active assignment (lead or support) for the commune.
        public var responsible: Bool
        /// The caller holds the commune's active lead assignment.
        public var lead: Bool
        /// The caller's scope contains the commune.
        public var inScope: Bool

        public init(user: User, responsible: Bool, lead: Bool, inScope: Bool) {
            self.user = user
            self.responsible = responsible
            self.lead = lead
            self.inScope = inScope
        }
    }

    public enum Mover: Sendable, Equatable {
        case assignee, reviewer, manager
    }

    /// Who may make the move, or nil when the state machine has no such move.
    public static func mover(from: WorkTask.State, to: WorkTask.State) -> Mover? {
        switch (from, to) {
        case (.assigned, .inprogress), (.returned, .inprogress), (.inprogress, .blocked), (.blocked, .inprogress),
            (.inprogress, .submitted):
            return .assignee
        case (.submitted, .done), (.submitted, .returned): return .reviewer
        case (_, .cancelled) where from.isOpen: return .manager
        default: return nil
        }
    }

    public static let reasonRequired: Set<WorkTask.State> = [.blocked, .returned, .cancelled]

    /// Chairs and deputies whose scope contains the commune; officers responsible for it; staff of the commune.
    public static func mayCreate(_ facts: Facts) -> Bool {
        guard facts.inScope else { return false }
        switch facts.user.role {
        case .chair, .deputy: return true
        case .officer: return facts.responsible
        case .staff: return true
        case .admin, .auditor: return false
        }
    }

    /// The task's creator, the commune's lead member, chairs and deputies whose scope contains the commune.
    public static func mayManage(_ task: WorkTask, _ facts: Facts) -> Bool {
        guard facts.inScope, facts.user.role != .admin, facts.user.role != .auditor else { return false }
        return task.creator == facts.user.login || facts.lead || facts.user.role == .chair
            || facts.user.role == .deputy
    }

    /// The commune's lead member, or a chair whose scope contains the commune.
    public static func mayReview(_ facts: Facts) -> Bool {
        facts.inScope && (facts.lead || facts.user.role == .chair)
    }

    public static func mayMove(_ task: WorkTask, to: WorkTask.State, _ facts: Facts) -> Bool {
        switch mover(from: task.state, to: to) {
        case .assignee?: return task.assignee == facts.user.login
        case .reviewer?: return mayReview(facts)
        case .manager?: return mayManage(task, facts)
        case nil: return false
        }
    }

    /// Creators of the commune's tasks, plus the task's assignee and creator.
    public static func mayComment(_ task: WorkTask, _ facts: Facts) -> Bool {
        guard facts.user.role != .admin, facts.user.role != .auditor else { return false }
        return mayCreate(facts) || task.assignee == facts.user.login || task.creator == facts.user.login
    }

    /// An assignee must be able to do the work there: an active chair, deputy, officer or staff member whose
    /// scope contains the commune.
    public static let assignableRoles: Set<Role> = [.chair, .deputy, .officer, .staff]
}
