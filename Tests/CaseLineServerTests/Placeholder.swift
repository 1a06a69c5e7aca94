import Testing

@Test func placeholderCaseLineServerTests() {}
