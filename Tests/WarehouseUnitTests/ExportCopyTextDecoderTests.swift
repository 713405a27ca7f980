import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The COPY text format parser and the number readers, without a database.
@Suite("Export: COPY text decoding", .blockingWork)
struct ExportCopyTextDecoderTests {
    /// Decodes one line and returns its fields as strings.
    private func fields(_ line: String) throws -> [String?] {
        var decoder = CopyTextDecoder()
        var bytes = Array(line.utf8)
        return try bytes.withUnsafeMutableBytes { buffer in
            try decoder.decode(UnsafeRawBufferPointer(buffer)) { row in (0..<row.count).map { row.string($0) } }
        }
    }

    @Test func splitsOnTabsAndReadsNull() throws {
        #expect(try fields("1\tAlice\t\\N\t\n") == ["1", "Alice", nil, ""])
        #expect(try fields("\n") == [""])
        #expect(try fields("\t\n") == ["", ""])
    }

    @Test func undoesEscapes() throws {
        #expect(try fields(#"a\tb\nc\\d\re"# + "\n") == ["a\tb\nc\\d\re"])
        #expect(try fields(#"\b\f\v"# + "\n") == ["\u{8}\u{C}\u{B}"])
        // Only a field that is exactly \N is NULL; an escaped backslash before N is text.
        #expect(try fields(#"\\N"# + "\t" + #"x\N"# + "\n") == [#"\N"#, "xN"])
        // Octal and hex, which PostgreSQL accepts though it never writes them.
        #expect(try fields(#"\101\x42\x4a\7"# + "\n") == ["ABJ\u{7}"])
        // Any other escaped character stands for itself.
        #expect(try fields(#"\q\."# + "\n") == ["q."])
    }

    @Test func keepsUnicodeBytesIntact() throws {
        #expect(try fields("Zoë\t北京 🚀\n") == ["Zoë", "北京 🚀"])
    }

    @Test func escapedFieldsDoNotDisturbTheirNeighbours() throws {
        #expect(try fields(#"a\tb"# + "\tplain\t" + #"c\\"# + "\n") == ["a\tb", "plain", "c\\"])
    }

    @Test func refusesMalformedLines() throws {
        #expect(throws: ExportError.self) { try fields("no newline") }
        #expect(throws: ExportError.self) { try fields("lone\\\n") }
    }

    private func number(_ text: String, _ read: (UnsafeRawBufferPointer) -> Int64?) -> Int64? {
        var text = text
        return text.withUTF8 { read(UnsafeRawBufferPointer($0)) }
    }

    @Test func readsIntegers() {
        #expect(number("0", CopyNumber.int64) == 0)
        #expect(number("-42", CopyNumber.int64) == -42)
        #expect(number("9223372036854775807", CopyNumber.int64) == Int64.max)
        #expect(number("-9223372036854775808", CopyNumber.int64) == Int64.min)
        #expect(number("9223372036854775808", CopyNumber.int64) == nil)
        #expect(number("", CopyNumber.int64) == nil)
        #expect(number("-", CopyNumber.int64) == nil)
        #expect(number("1.0", CopyNumber.int64) == nil)
        #expect(number(" 1", CopyNumber.int64) == nil)
    }

    @Test func readsMoneyAsExactCents() {
        #expect(number("12.34", CopyNumber.cents) == 1234)
        #expect(number("0.10", CopyNumber.cents) == 10)
        #expect(number("7", CopyNumber.cents) == 700)
        #expect(number("7.5", CopyNumber.cents) == 750)
        #expect(number("-0.05", CopyNumber.cents) == -5)
        #expect(number("-12.30", CopyNumber.cents) == -1230)
        #expect(number("1.230", CopyNumber.cents) == 123)
        #expect(number("1234567890123456.78", CopyNumber.cents) == 123_456_789_012_345_678)
        #expect(number("1.235", CopyNumber.cents) == nil)
        #expect(number("1.2x", CopyNumber.cents) == nil)
        #expect(number("92233720368547758.08", CopyNumber.cents) == nil)
    }
}
