import Testing

@Test func placeholderCaseLineStoreTests() {}
