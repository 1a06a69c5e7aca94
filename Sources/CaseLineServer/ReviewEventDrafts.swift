public import CaseLineDomain

/// A review step's events as the store keeps them: one event type per `ReviewEvent.Kind`, placed at the
/// campaign's commune and province, concerning the campaign's committee, its reviewers and whoever acted.
/// Shared by the REVIEW commands, the survey import and the demo, so the three cannot address events apart.
public enum ReviewEventDrafts {
    public static func drafts(_ step: ReviewStep, province: String?, actor: String?) -> [EventDraft] {
        let campaign = step.campaign
        var concerns = Set(campaign.plan?.committee ?? [])
        concerns.formUnion(campaign.plan?.reviewers.map(\.login) ?? [])
        if let actor { concerns.insert(actor) }
        return step.events.compactMap { event in
            EventType(rawValue: event.kind.rawValue).map {
                EventDraft(
                    $0, province: province, commune: campaign.commune, details: event.details, concerns: concerns)
            }
        }
    }
}
