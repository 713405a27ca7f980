import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

@Suite("Pull: JSON parsing keeps numbers exact", .blockingWork)
struct PullJSONTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Data(text.utf8)) }

    @Test func numbersKeepTheirLiteralText() throws {
        let value = try parse(#"{"a": 0.1, "b": 19.99, "c": 1e2, "d": 12.345, "e": -0, "f": 1.5E-1}"#)
        #expect(value["a"] == .number("0.1"))
        #expect(value["b"] == .number("19.99"))
        #expect(value["c"] == .number("1e2"))
        #expect(value["d"] == .number("12.345"))
        #expect(value["e"] == .number("-0"))
        #expect(value["f"] == .number("1.5E-1"))
    }

    @Test(arguments: [
        ("0.1", "0.1"), ("19.99", "19.99"), ("1e2", "100"), ("12.345", "12.345"), ("1.50", "1.5"),
        ("100", "100"), ("0", "0"), ("-0.0", "0"), ("1.5E-1", "0.15"), ("0.05e1", "0.5"), ("1E-2", "0.01"),
        ("-5", "-5"), ("2.5e+3", "2500"), ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("1e999999", "1e999999"),
    ])
    func plainDecimalIsExact(literal: String, expected: String) {
        #expect(JSONValue.plainDecimal(literal) == expected)
    }

    @Test func stringsDecodeEscapesAndSurrogatePairs() throws {
        let value = try parse(#"["a\"b\\c\/d\n", "\u00e9\ud83d\ude00", "Zoë"]"#)
        #expect(value == .array([.string("a\"b\\c/d\n"), .string("é😀"), .string("Zoë")]))
    }

    @Test(arguments: [
        (#"{"a": 1"#, true), (#"{"orders": [{"price": 19."#, true), (#"["abc"#, true), ("", true),
        (#"{"a": 1,}"#, false), (#"{"a": 01}"#, false), (#"{"a": 1} x"#, false), (#"{"a": "\ud800"}"#, false),
        (#"{"a": 1, "a": 2}"#, false), ("{'a': 1}", false), (#"{"a": tru}"#, false), (#"{"a": .5}"#, false),
        ("[\"a\u{01}\"]", false), (String(repeating: "[", count: 40) + String(repeating: "]", count: 40), false),
    ])
    func malformedDocumentsAreRefused(text: String, endedEarly: Bool) {
        do {
            _ = try parse(text)
            Issue.record("parsed \(text)")
        } catch let error as JSONParser.SyntaxError {
            #expect(error.endedEarly == endedEarly, "\(text): \(error)")
        } catch {
            Issue.record(error)
        }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Data([0x22, 0xC3, 0x28, 0x22])) }
    }
}
