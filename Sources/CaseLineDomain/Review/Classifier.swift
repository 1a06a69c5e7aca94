/// Classifies one household's survey under one standard. Pure: the same figures and standard give the same
/// class, which is what lets a list be reproduced years later.
///
/// The rule (NĐ 07/2021 art. 3, NĐ 351/2025; scores per TT 07/2021):
/// 1. Phiếu A excludes the household → not classified.
/// 2. Income test: score A at or under the area's score-A line — or, when no score A is given, VND income at or
///    under the area's income line. "At the line" counts as under it (the decrees say "từ … trở xuống").
/// 3. Under the line: poor when score B (points per deprived indicator) reaches the poor threshold, else
///    near-poor.
/// 4. Above the line: average-living when the household lives from one of the standard's livelihoods and its
///    income lies above the line and at most the ceiling; otherwise not classified.
public enum Classifier {
    public static func classify(
        _ figures: SurveyFigures, area: SettlementArea, standard: StandardDescription
    ) -> Result<Classification, DomainError> {
        // Validate everything first, so a refusal never depends on which branch the figures would take.
        var deprived = Set<String>()
        for code in figures.deprived {
            guard standard.indicator(code) != nil else {
                let known = standard.dimensions.indicators.map(\.code).joined(separator: ", ")
                return .failure(
                    DomainError(
                        .invalid, "indicator \(code) is not one of standard \(standard.id)'s (\(known))",
                        details: [("indicator", code)]))
            }
            guard deprived.insert(code).inserted else {
                return .failure(
                    DomainError(.invalid, "indicator \(code) is ticked twice", details: [("indicator", code)]))
            }
        }
        let ordered = standard.dimensions.indicators.map(\.code).filter(deprived.contains)
        let scoreB = standard.scoreB.pointsPerIndicator * ordered.count
        if let negative = [figures.scoreA, figures.scoreB].compactMap({ $0 }).first(where: { $0 < 0 }) {
            return .failure(DomainError(.invalid, "a score cannot be negative (\(negative))"))
        }
        if let income = figures.income, income < 0 {
            return .failure(DomainError(.invalid, "income cannot be negative (\(income))"))
        }
        if let written = figures.scoreB, written != scoreB {
            return .failure(
                DomainError(
                    .invalid,
                    "score B \(written) does not match the \(ordered.count) ticked indicators "
                        + "(\(standard.scoreB.pointsPerIndicator) points each: \(scoreB))"))
        }
        if figures.scoreA != nil, standard.scoreA == nil {
            return .failure(DomainError(.invalid, "standard \(standard.id) has no score-A scale: give the income"))
        }

        var unverified: [String] = []
        func uses(_ path: String) {
            if standard.isUnverified(path), !unverified.contains(path) { unverified.append(path) }
        }
        func result(_ value: ReviewClass, _ reasons: [ClassificationReason]) -> Result<Classification, DomainError> {
            .success(
                Classification(
                    result: value, standardID: standard.id, standardRevision: standard.revision, area: area,
                    deprived: ordered, scoreB: figures.phieuA == .excluded ? 0 : scoreB, reasons: reasons,
                    unverifiedFigures: unverified))
        }

        if figures.phieuA == .excluded {
            if figures.scoreA != nil || figures.scoreB != nil || !ordered.isEmpty {
                return .failure(DomainError(.invalid, "Phiếu A excludes the household: it has no Phiếu B figures"))
            }
            return result(.none, [.excludedByPhieuA])
        }

        // 2. The income test.
        var reasons: [ClassificationReason] = []
        let atOrUnder: Bool
        if let points = figures.scoreA, let scale = standard.scoreA {
            uses("scoreA.line")
            atOrUnder = points <= scale.line[area]
            reasons.append(.scoreA(points: points, line: scale.line[area], area: area))
        } else if let income = figures.income {
            uses("incomeLine")
            atOrUnder = income <= standard.incomeLine[area]
            reasons.append(.income(vnd: income, line: standard.incomeLine[area], area: area))
        } else {
            return .failure(DomainError(.invalid, "the survey gives neither score A nor the income"))
        }

        // 3. Under the line: the deprivation test.
        if atOrUnder {
            uses("scoreB.pointsPerIndicator")
            uses("scoreB.poorFrom")
            uses("dimensions")
            reasons.append(.scoreB(points: scoreB, poorFrom: standard.scoreB.poorFrom, indicators: ordered.count))
            return result(scoreB >= standard.scoreB.poorFrom ? .poor : .nearPoor, reasons)
        }

        // 4. Above the line: the average-living band, for its livelihoods only.
        guard let band = standard.averageLiving else {
            uses("averageLiving")
            return result(.none, reasons + [.noAverageLivingBand(standard: standard.id)])
        }
        uses("averageLiving.livelihoods")
        guard figures.livelihoods.contains(where: band.livelihoods.contains) else {
            return result(.none, reasons + [.notAverageLivingLivelihood])
        }
        if let income = figures.income {
            uses("averageLiving.incomeCeiling")
            let line = standard.incomeLine[area]
            let ceiling = band.incomeCeiling[area]
            let inside = income > line && income <= ceiling
            return result(
                inside ? .averageLiving : .none,
                reasons + [.averageLivingIncome(vnd: income, line: line, ceiling: ceiling)])
        }
        if let points = figures.scoreA, let scale = standard.scoreA, let ceilings = band.scoreACeiling {
            uses("averageLiving.scoreACeiling")
            let inside = points > scale.line[area] && points <= ceilings[area]
            return result(
                inside ? .averageLiving : .none,
                reasons + [.averageLivingScoreA(points: points, line: scale.line[area], ceiling: ceilings[area])])
        }
        return result(.none, reasons + [.averageLivingNeedsIncome])
    }
}
