import CaseLineProtocol
import Testing

/// The `n.nn` value kind (CLP1.md §4.8): a target's figure, kept in hundredths.
@Suite("Decimal values")
struct DecimalValueTests {
    @Test func decimalValuesAreReadInHundredthsAndWrittenBack() throws {
        #expect(try ValueKind.checkDecimal("0.54").get() == 54)
        #expect(try ValueKind.checkDecimal("14").get() == 1400)
        #expect(try ValueKind.checkDecimal("2.5").get() == 250)
        #expect(try ValueKind.checkDecimal("007.05").get() == 705)
        for bad in ["0,54", "0.545", "-1", "", ".5", "5.", "1e3", "1.2.3", "１", "10000000000"] {
            #expect((try? ValueKind.checkDecimal(bad).get()) == nil, "\(bad)")
        }
        #expect(ValueKind.decimalText(54) == "0.54" && ValueKind.decimalText(1400) == "14")
        #expect(ValueKind.decimalText(250) == "2.5" && ValueKind.decimalText(-7) == "-0.07")
        #expect(try ValueKind.decimal.normalise("00.50").get() == "0.5")
    }

}
