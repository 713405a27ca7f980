import Testing
@Test func placeholderKit() { #expect(Bool(true)) }
