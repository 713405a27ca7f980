import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// RFC 4180 edge cases, line numbers and line ends, through the real streaming reader.
@Suite(.blockingWork) struct CSVScannerTests {
    struct Scanned: Equatable {
        var line: Int
        var fields: [String]
        var raw: String
        var malformed: Bool
    }

    func scan(_ text: String, bufferSize: Int = 4 << 20) throws -> [Scanned] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var records: [Scanned] = []
        try CSVScanner(reader: try ByteReader(path: url.path, chunkSize: 7), bufferSize: bufferSize).scan { record in
            records.append(Scanned(
                line: record.line, fields: (0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) },
                raw: record.rawText, malformed: record.malformation != nil))
        }
        return records
    }

    @Test func quotedCommasQuotesAndNewlines() throws {
        let records = try scan("a,b\n\"Smith, John\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\nlast,row\n")
        #expect(records.map(\.fields) == [["a", "b"], ["Smith, John", "say \"hi\""], ["two\nlines", "x"], ["last", "row"]])
        #expect(records.map(\.line) == [1, 2, 3, 5])
        #expect(records[2].raw == "\"two\nlines\",x")
    }

    @Test func crlfBomBlankLinesAndNoFinalNewline() throws {
        let records = try scan("\u{FEFF}h1,h2\r\n1,2\r\n\r\n3,\"4\"\r\n5,6")
        #expect(records.map(\.fields) == [["h1", "h2"], ["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(records.map(\.line) == [1, 2, 4, 5])
        #expect(records[1].raw == "1,2")
    }

    @Test func smallBuffersGrowForLongRecords() throws {
        let long = String(repeating: "x", count: 10_000)
        let records = try scan("a,b\n\"\(long)\",1\n2,3\n", bufferSize: 64)
        #expect(records.map(\.fields) == [["a", "b"], [long, "1"], ["2", "3"]])
    }

    /// The field list starts with room for 16 fields and grows: a wide record between narrow ones.
    @Test func wideRecordsGrowTheFieldList() throws {
        let wide = (1...70).map { "f\($0)" }
        let records = try scan("a,b\n" + wide.joined(separator: ",") + "\n\"q,1\",2\n" + wide.reversed().joined(separator: ",") + "\n", bufferSize: 64)
        #expect(records.map(\.fields) == [["a", "b"], wide, ["q,1", "2"], wide.reversed()])
    }

    @Test func malformedQuotingIsFlaggedNotFatal() throws {
        let records = try scan("a,b\n\"x\"y,1\n\"never closed,2\n")
        #expect(records[1].malformed)
        #expect(records.last?.malformed == true)
    }

    @Test func emptyFieldsAndStrayQuotes() throws {
        let records = try scan("a,b,c\n,,\nab\"c,d,\n")
        #expect(records[1].fields == ["", "", ""])
        #expect(records[2].fields == ["ab\"c", "d", ""])
    }
}

@Suite(.blockingWork) struct ColumnLayoutTests {
    @Test func matchesByNameInAnyOrderCaseInsensitiveTrimmed() throws {
        let layout = try ColumnLayout.from(
            header: [" Price ", "ORDER_ID", "customer_name", "extra", "order_date", "product_id", "Passenger_Count"], source: "f.csv")
        #expect(layout.position(.orderID) == 1)
        #expect(layout.position(.price) == 0)
        #expect(layout.position(.passengerCount) == 6)
        #expect(layout.ignored == ["extra"])
    }

    @Test func aMissingColumnIsAnErrorNamingIt() {
        #expect(throws: IngestError.self) {
            try ColumnLayout.from(header: ["order_id", "customer_name", "price", "order_date", "product_id"], source: "f.csv")
        }
        do {
            _ = try ColumnLayout.from(header: ["order_id", "customer_name", "price", "order_date", "product_id"], source: "f.csv")
        } catch {
            #expect(String(describing: error).contains("passenger_count"))
            #expect(String(describing: error).contains("f.csv, line 1"))
        }
    }
}
