import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// Every input rule (docs/input.md), accept side and reject side.
@Suite(.blockingWork) struct OrderValidatorTests {
    func bytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try Array(text.utf8).withUnsafeBufferPointer { try body(trimmed($0)) }
    }

    func rejection<T>(_ text: String, _ rule: (UnsafeBufferPointer<UInt8>) throws(RowRejection) -> T) -> RowRejection? {
        [UInt8](text.utf8).withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<UInt8>) -> RowRejection? in
            do throws(RowRejection) { _ = try rule(trimmed(buffer)); return nil } catch { return error }
        }
    }

    @Test(arguments: [("1", 1), ("42", 42), ("+7", 7), (" 9 ", 9), ("9223372036854775807", Int64.max)])
    func orderIDAccepts(text: String, expected: Int64) throws {
        #expect(try bytes(text) { try OrderValidator.orderID($0) } == expected)
    }

    @Test(arguments: ["0", "-5", "", "1.0", "12a", "9223372036854775808", "1e3"])
    func orderIDRejects(text: String) {
        let error = rejection(text) { (b) throws(RowRejection) in try OrderValidator.orderID(b) }
        #expect(error?.column == "order_id")
    }

    @Test func customerNamesAreTrimmedAndCollapsed() throws {
        #expect(try bytes("  Ann   Lee \t Smith ") { try OrderValidator.customerName($0) } == "Ann Lee Smith")
        #expect(try bytes("Zoë O'Brien") { try OrderValidator.customerName($0) } == "Zoë O'Brien")
        #expect(try bytes("Smith, John") { try OrderValidator.customerName($0) } == "Smith, John")
        #expect(try bytes("a\nb") { try OrderValidator.customerName($0) } == "a b")
    }

    @Test func blankOrInvalidCustomerNamesAreRejected() {
        for text in ["", "   ", "\t"] {
            let error = rejection(text) { (b) throws(RowRejection) in try OrderValidator.customerName(b) }
            #expect(error?.reason == "customer_name is empty")
        }
        let error = rejection(String(decoding: [0x41], as: UTF8.self)) { (_) throws(RowRejection) in
            try [UInt8]([0x41, 0xFF, 0x42]).withUnsafeBufferPointer { (b) throws(RowRejection) in try OrderValidator.customerName(b) }
        }
        #expect(error?.reason == "customer_name is not valid UTF-8")
    }

    @Test(arguments: [("12.30", 1230), ("12.3", 1230), ("12", 1200), ("0", 0), ("0.00", 0), (".5", 50), ("9999999999.99", 999_999_999_999), ("007.10", 710)])
    func priceAccepts(text: String, cents: Int64) throws {
        #expect(try bytes(text) { try OrderValidator.priceCents($0) } == cents)
    }

    @Test(arguments: [
        ("-1.00", "price must not be negative, got -1.00"), ("12.345", "price has more than 2 decimals: 12.345"),
        ("abc", "price is not a decimal number: \"abc\""), ("", "price is empty"), ("1,50", "price is not a decimal number: \"1,50\""),
        ("1.2.3", "price is not a decimal number: \"1.2.3\""), ("10000000000.00", "price is too large: 10000000000.00"), (".", "price is not a decimal number: \".\""),
        ("1e3", "price is not a decimal number: \"1e3\""),
    ])
    func priceRejects(text: String, reason: String) {
        let error = rejection(text) { (b) throws(RowRejection) in try OrderValidator.priceCents(b) }
        #expect(error == RowRejection(column: "price", reason: reason))
    }

    @Test(arguments: ["2023-12-10", "2024-02-29", "2000-02-29", "2023-12-10T08:15:00", "2023-12-10 08:15", "2023-12-10T08:15:00.123Z", "2023-12-10T23:59:59+01:00"])
    func dateAccepts(text: String) throws {
        let date = try bytes(text) { try OrderValidator.date($0) }
        #expect(date.key / 10_000 >= 2000)
    }

    @Test(arguments: ["2023-02-30", "2023-13-01", "2023-00-10", "1900-02-29", "2023-04-31", "10/12/2023", "2023-12-1", "", "2023-12-10X", "2023-12-10T25:00", "garbage"])
    func dateRejects(text: String) {
        let error = rejection(text) { (b) throws(RowRejection) in try OrderValidator.date(b) }
        #expect(error?.column == "order_date")
    }

    @Test(arguments: [("fast-track", "fast_track"), ("Fast Track", "fast_track"), ("LOUNGE", "lounge"), ("fast - track", "fast_track"), ("parking", "parking"), ("fast__track", "fast_track")])
    func productsAreNormalised(text: String, expected: String) throws {
        #expect(try bytes(text) { try OrderValidator.productID($0) } == expected)
    }

    @Test(arguments: ["", "lounge!", "café"])
    func productRejects(text: String) {
        let error = rejection(text) { (b) throws(RowRejection) in try OrderValidator.productID(b) }
        #expect(error?.column == "product_id")
    }

    @Test func passengerCounts() throws {
        #expect(try bytes("1") { try OrderValidator.passengerCount($0) } == 1)
        #expect(try bytes(" 6 ") { try OrderValidator.passengerCount($0) } == 6)
        for text in ["0", "-1", "1.5", "", "two", "99999999999"] {
            let error = rejection(text) { (b) throws(RowRejection) in try OrderValidator.passengerCount(b) }
            #expect(error?.column == "passenger_count", "\(text) should be rejected")
        }
    }
}
