import Testing

@Test func placeholderCaseLineDomainTests() {}
