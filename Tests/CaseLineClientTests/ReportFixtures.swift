import CaseLineProtocol
import Foundation

/// Hand-made report answers modelled on the reports contract (CLP1.md §10.12, §11): Thái Nguyên city's
/// reviews of 2022 and 2023 from the source articles, with 87,800 resident households (every rounded rate
/// reproduces), its two targets, and a health-insurance fund of 1,837,272,000 VND.
enum ReportFixtures {
    static func record(_ type: String, _ pairs: KeyValuePairs<String, String>) -> Record {
        Record(type, pairs.map { Field($0.key, $0.value) })
    }

    static let heading = record(
        "REPORT",
        [
            "report": "poverty", "unit": "legacy:164", "unit-name": "Thành phố Thái Nguyên", "from": "2022",
            "to": "2023", "as-of": "2024-01-15", "communes": "32",
            "rounding": "percent, 2 decimals, rounded half up from whole counts",
        ])

    static let years = [
        record(
            "POVERTY-YEAR",
            [
                "year": "2022", "households": "87800", "communes-without-total": "0", "poor": "539",
                "poor-persons": "1617", "near-poor": "602", "near-poor-persons": "1806", "poor-rate": "0.61",
                "near-poor-rate": "0.69", "multidimensional-rate": "1.30",
            ]),
        record(
            "POVERTY-YEAR",
            [
                "year": "2023", "households": "87800", "communes-without-total": "0", "poor": "414",
                "poor-persons": "1242", "near-poor": "513", "near-poor-persons": "1539", "poor-rate": "0.47",
                "near-poor-rate": "0.58", "multidimensional-rate": "1.06",
            ]),
    ]

    static let flows = record(
        "FLOWS",
        [
            "unit": "legacy:164", "from": "2022", "to": "2023", "poor-start": "539", "poor-start-persons": "1617",
            "escaped-poor": "160", "escaped-poor-persons": "480", "escaped-poor-to-near-poor": "70",
            "escaped-poor-to-near-poor-persons": "210", "newly-poor": "35", "newly-poor-persons": "105",
            "fell-back-poor": "10", "fell-back-poor-persons": "30", "left-poor": "0", "left-poor-persons": "0",
            "poor-end": "414", "poor-end-persons": "1242", "near-poor-start": "602", "near-poor-start-persons": "1806",
            "escaped-near-poor": "150", "escaped-near-poor-persons": "450", "near-poor-to-poor": "20",
            "near-poor-to-poor-persons": "60", "newly-near-poor": "81", "newly-near-poor-persons": "243",
            "near-poor-from-poor": "70", "near-poor-from-poor-persons": "210", "fell-back-near-poor": "5",
            "fell-back-near-poor-persons": "15", "left-near-poor": "0", "left-near-poor-persons": "0",
            "near-poor-end": "513", "near-poor-end-persons": "1539", "balanced": "yes",
        ])

    static let groups = [
        record(
            "POVERTY-GROUP",
            [
                "year": "2023", "group": "ethnic-minority", "poor": "187", "poor-persons": "598", "near-poor": "160",
                "near-poor-persons": "512", "poor-share": "45.17", "near-poor-share": "31.19",
            ])
    ]

    static let targets = [
        record(
            "TARGET-RESULT",
            [
                "target": "TG-1", "unit": "legacy:164", "year": "2023", "indicator": "poverty-rate", "kind": "level",
                "comparison": "at-most", "value": "0.54", "actual": "0.47", "met": "yes", "margin": "0.07",
                "document": "KH giảm nghèo 2023",
            ]),
        record(
            "TARGET-RESULT",
            [
                "target": "TG-2", "unit": "legacy:164", "year": "2023", "indicator": "near-poor-rate", "kind": "level",
                "comparison": "at-most", "value": "0.64", "actual": "0.58", "met": "yes", "margin": "0.06",
                "document": "KH giảm nghèo 2023",
            ]),
    ]

    /// REPORT POVERTY district=legacy:164 from=2022 to=2023.
    static let poverty = [heading] + years + [flows] + groups + targets

    /// REPORT MONEY for 2023: the health-insurance money of project 7.1 (1,837,272,000 VND disbursed).
    static let money = [
        record(
            "REPORT",
            [
                "report": "money", "unit": "legacy:164", "unit-name": "Thành phố Thái Nguyên", "from": "2023-01-01",
                "to": "2023-12-31", "as-of": "2024-01-15", "communes": "32",
            ]),
        record(
            "MONEY",
            [
                "project": "7.1", "source": "central", "nature": "recurrent", "allocated": "2500000000",
                "carried-in": "150000000", "disbursed": "1837272000", "carried-out": "812728000",
                "remaining": "812728000", "rate": "69.33", "overrides": "0",
            ]),
        record(
            "MONEY",
            [
                "project": "1", "source": "provincial", "nature": "investment", "allocated": "350000000",
                "carried-in": "0", "disbursed": "350000000", "carried-out": "0", "remaining": "0", "rate": "100.00",
                "overrides": "0",
            ]),
        record(
            "MONEY",
            [
                "project": "all", "source": "all", "allocated": "2850000000", "carried-in": "150000000",
                "disbursed": "2187272000", "carried-out": "812728000", "remaining": "812728000", "rate": "72.91",
                "overrides": "0",
            ]),
    ]

    /// REPORT OUTPUTS for 2023: housing (3 new at 50,000,000 + 8 repairs at 25,000,000 = 350,000,000 VND)
    /// and health insurance (896 poor + 1,148 near-poor persons = 2,044, 1,837,272,000 VND).
    static let outputs = [
        record(
            "REPORT",
            [
                "report": "outputs", "unit": "legacy:164", "unit-name": "Thành phố Thái Nguyên", "from": "2023-01-01",
                "to": "2023-12-31", "as-of": "2024-01-15", "communes": "32",
            ]),
        record(
            "OUTPUT",
            [
                "commune": "all", "kind": "housing-new", "cases": "3", "amount": "150000000", "persons": "11",
                "poor": "3", "near-poor": "0", "started": "3", "finished": "3", "handed-over": "2",
            ]),
        record(
            "OUTPUT",
            [
                "commune": "all", "kind": "housing-repair", "cases": "8", "amount": "200000000", "persons": "29",
                "poor": "6", "near-poor": "2", "started": "8", "finished": "7", "handed-over": "7",
            ]),
        record(
            "OUTPUT",
            [
                "commune": "all", "kind": "health-insurance", "cases": "1", "amount": "1837272000", "persons": "2044",
                "poor": "896", "near-poor": "1148",
            ]),
    ]

    /// Quảng Phú's plan for 2024: reduce the poor households by 14–16, 0.5 points off the poverty rate, the
    /// multidimensional rate under 2.5 %.
    static let quangPhu = [
        record(
            "REPORT",
            [
                "report": "poverty", "unit": "legacy:05600", "unit-name": "Xã Quảng Phú", "from": "2024", "to": "2024",
                "as-of": "2025-01-10", "communes": "1", "rounding": "percent, 2 decimals, rounded half up",
            ]),
        record(
            "POVERTY-YEAR",
            [
                "year": "2024", "households": "2840", "communes-without-total": "0", "poor": "57",
                "poor-persons": "190",
                "near-poor": "64", "near-poor-persons": "221", "poor-rate": "2.01", "near-poor-rate": "2.25",
                "multidimensional-rate": "4.26",
            ]),
        record(
            "TARGET-RESULT",
            [
                "target": "TG-7", "unit": "legacy:05600", "year": "2024", "indicator": "poor", "kind": "reduction",
                "comparison": "at-least", "min": "14", "max": "16", "actual": "15", "met": "yes", "within": "yes",
                "margin": "1", "document": "NQ 12/NQ-HĐND",
            ]),
        record(
            "TARGET-RESULT",
            [
                "target": "TG-8", "unit": "legacy:05600", "year": "2024", "indicator": "poverty-rate",
                "kind": "reduction", "comparison": "at-least", "value": "0.5", "actual": "0.45", "met": "no",
                "margin": "-0.05", "document": "NQ 12/NQ-HĐND",
            ]),
        record(
            "TARGET-RESULT",
            [
                "target": "TG-9", "unit": "legacy:05600", "year": "2024", "indicator": "multidimensional-rate",
                "kind": "level", "comparison": "at-most", "value": "2.5", "actual": "4.26", "met": "no",
                "margin": "-1.76", "document": "NQ 12/NQ-HĐND",
            ]),
    ]

    /// REPORT POVERTY … year=2023 by=commune: three communes making up the city's 2023 figures.
    static let byCommune: [Record] = {
        let communes = [
            ("legacy:05443", "Phường Hoàng Văn Thụ", "30000", "200", "0.67", "230", "0.77", "1.43"),
            ("legacy:05446", "Phường Quang Trung", "35000", "120", "0.34", "180", "0.51", "0.86"),
            ("legacy:05491", "Xã Quyết Thắng", "22800", "94", "0.41", "103", "0.45", "0.86"),
        ]
        let heading = record(
            "REPORT",
            [
                "report": "poverty", "unit": "legacy:164", "unit-name": "Thành phố Thái Nguyên", "from": "2023",
                "to": "2023", "as-of": "2024-01-15", "communes": "3", "rounding": "percent, 2 decimals",
            ])
        return [heading, years[1]]
            + communes.map { code, name, households, poor, poorRate, nearPoor, nearPoorRate, multidimensional in
                Record(
                    "POVERTY-COMMUNE",
                    [
                        Field("year", "2023"), Field("commune", code), Field("commune-name", name),
                        Field("households", households), Field("communes-without-total", "0"), Field("poor", poor),
                        Field("near-poor", nearPoor), Field("poor-rate", poorRate),
                        Field("near-poor-rate", nearPoorRate),
                        Field("multidimensional-rate", multidimensional),
                    ])
            }
    }()
}
