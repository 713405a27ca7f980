/// Applies the input rules (docs/input.md) to one CSV record, byte by byte, without regexes.
/// One validator per thread: the names it normalises are written to buffers of its own.
final class OrderValidator {
    let layout: ColumnLayout
    private let orderIDAt: Int, customerAt: Int, priceAt: Int, dateAt: Int, productAt: Int, passengersAt: Int
    /// Where names and product ids that needed normalising are written (most need none).
    private let nameScratch = ByteBuffer(capacity: 1 << 12), productScratch = ByteBuffer(capacity: 256)

    /// numeric(12, 2) holds at most 9,999,999,999.99.
    static let maximumPriceCents: Int64 = 999_999_999_999
    /// Names and products are unique keys of their dimensions, and a btree index entry holds at
    /// most about 2.7 KB: 500 characters of up to four UTF-8 bytes each stay well inside it.
    static let maximumNameCharacters = 500
    static let maximumProductCharacters = 100

    init(layout: ColumnLayout) {
        self.layout = layout
        orderIDAt = layout.position(.orderID)
        customerAt = layout.position(.customerName)
        priceAt = layout.position(.price)
        dateAt = layout.position(.orderDate)
        productAt = layout.position(.productID)
        passengersAt = layout.position(.passengerCount)
    }

    /// A valid row's values, its customer name and product id as normalised UTF-8 bytes: the
    /// loader looks their keys up from the bytes and builds a `String` only for a new member.
    /// The bytes are valid until the next record is validated.
    func fields(_ record: CSVScanner.Record) throws(RowRejection) -> OrderFields {
        if let malformation = record.malformation { throw RowRejection(column: nil, reason: malformation) }
        guard record.count == layout.fieldCount else {
            throw RowRejection(column: nil, reason: "expected \(layout.fieldCount) fields, found \(record.count)")
        }
        let orderID = try Self.orderID(trimmed(record.field(orderIDAt)))
        let customer = try Self.customerName(record.field(customerAt), scratch: nameScratch)
        let price = try Self.priceCents(trimmed(record.field(priceAt)))
        let date = try Self.date(trimmed(record.field(dateAt)))
        let product = try Self.productID(trimmed(record.field(productAt)), scratch: productScratch)
        let passengers = try Self.passengerCount(trimmed(record.field(passengersAt)))
        return OrderFields(
            orderID: orderID, customerName: customer, productID: product, priceCents: price, date: date,
            passengerCount: passengers)
    }

    func validate(_ record: CSVScanner.Record) throws(RowRejection) -> ValidatedOrder {
        let fields = try fields(record)
        return ValidatedOrder(
            orderID: fields.orderID, customerName: String(decoding: fields.customerName, as: UTF8.self),
            productID: String(decoding: fields.productID, as: UTF8.self), priceCents: fields.priceCents, date: fields.date,
            passengerCount: fields.passengerCount)
    }

    /// The order_id of a record that failed validation, when it can still be read: the record
    /// still lists that order (the caller accepts it only for a known order, so a number read
    /// from a record with a field too many or too few keeps at worst an order from removal).
    /// A record a stray quote ran across lines is read as its first line split at commas.
    func readableOrderID(_ record: CSVScanner.Record) -> Int64? {
        let field: String
        if record.spansLines {
            let parts = record.openingLineText.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count > orderIDAt else { return nil }
            field = String(parts[orderIDAt])
        } else {
            guard record.count > orderIDAt else { return nil }
            field = String(decoding: record.field(orderIDAt), as: UTF8.self)
        }
        var text = field.trimmingASCIIWhitespace()
        if text.hasPrefix("+") { text.removeFirst() }
        guard let id = Int64(text), id > 0 else { return nil }
        return id
    }

    // MARK: - Rules, one per column

    static func orderID(_ bytes: UnsafeBufferPointer<UInt8>) throws(RowRejection) -> Int64 {
        guard !bytes.isEmpty else { throw RowRejection(column: "order_id", reason: "order_id is empty") }
        guard let value = parseUnsigned(bytes) else {
            if bytes.first == UInt8(ascii: "-"), bytes.count > 1, isInteger(UnsafeBufferPointer(rebasing: bytes.dropFirst())) {
                throw RowRejection(column: "order_id", reason: "order_id must be greater than 0, got \(text(bytes))")
            }
            if isInteger(bytes) {
                throw RowRejection(column: "order_id", reason: "order_id is too large (at most \(Int64.max)): \(text(bytes))")
            }
            throw RowRejection(column: "order_id", reason: "order_id is not an integer: \(quoted(bytes))")
        }
        guard value > 0 else { throw RowRejection(column: "order_id", reason: "order_id must be greater than 0, got \(text(bytes))") }
        return value
    }

    static func customerName(_ bytes: UnsafeBufferPointer<UInt8>) throws(RowRejection) -> String {
        let scratch = ByteBuffer(capacity: bytes.count + 1)
        return try withExtendedLifetime(scratch) { () throws(RowRejection) -> String in String(decoding: try customerName(bytes, scratch: scratch), as: UTF8.self) }
    }

    /// The name trimmed and with inner whitespace collapsed, as valid UTF-8: `bytes` itself when
    /// already so (the usual case), else written to `scratch`.
    static func customerName(_ bytes: UnsafeBufferPointer<UInt8>, scratch: ByteBuffer) throws(RowRejection) -> UnsafeRawBufferPointer {
        // Fast path: already trimmed, single spaces, no control bytes — the usual case.
        let field = trimmed(bytes)
        var clean = !field.isEmpty
        var previousSpace = false
        var highBits: UInt8 = 0
        for byte in field {
            if byte < 0x20 || byte == 0x7F || (byte == 0x20 && previousSpace) { clean = false; break }
            previousSpace = byte == 0x20
            highBits |= byte
        }
        if clean, field.count <= maximumNameCharacters, highBits < 0x80 || UTF8Validation.isValid(UnsafeRawBufferPointer(field)) {
            return UnsafeRawBufferPointer(field)
        }
        // Trim and collapse runs of ASCII whitespace to one space.
        scratch.removeAll()
        var pendingSpace = false
        for byte in bytes {
            if byte == 0 { throw RowRejection(column: "customer_name", reason: "customer_name contains a NUL byte") }
            if isWhitespace(byte) {
                pendingSpace = !scratch.isEmpty
            } else {
                if pendingSpace { scratch.append(0x20); pendingSpace = false }
                scratch.append(byte)
            }
        }
        let name = scratch.bytes
        guard !name.isEmpty else { throw RowRejection(column: "customer_name", reason: "customer_name is empty") }
        guard UTF8Validation.isValid(name) else {
            throw RowRejection(column: "customer_name", reason: "customer_name is not valid UTF-8")
        }
        let characters = UTF8Validation.scalarCount(name)
        guard characters <= maximumNameCharacters else {
            throw RowRejection(column: "customer_name",
                               reason: "customer_name is longer than \(maximumNameCharacters) characters (\(characters)): \(quoted(bytes))")
        }
        return name
    }

    /// Exact decimal: digits, optionally `.` and at most two more digits.
    static func priceCents(_ bytes: UnsafeBufferPointer<UInt8>) throws(RowRejection) -> Int64 {
        guard !bytes.isEmpty else { throw RowRejection(column: "price", reason: "price is empty") }
        // A leading "+" is accepted on every number, as on order_id and passenger_count.
        if bytes[0] == UInt8(ascii: "+"), bytes.count > 1, bytes[1] != UInt8(ascii: "+"), bytes[1] != UInt8(ascii: "-") {
            return try priceCents(UnsafeBufferPointer(rebasing: bytes.dropFirst()))
        }
        if bytes[0] == UInt8(ascii: "-") {
            let rest = UnsafeBufferPointer(rebasing: bytes.dropFirst())
            if (try? priceCents(rest)) != nil, rest.contains(where: { $0 != UInt8(ascii: "0") && $0 != UInt8(ascii: ".") }) {
                throw RowRejection(column: "price", reason: "price must not be negative, got \(text(bytes))")
            }
            if (try? priceCents(rest)) != nil { return 0 }  // -0.00 is zero
            throw RowRejection(column: "price", reason: "price is not a decimal number: \(quoted(bytes))")
        }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var wholeDigits = 0
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if seenPoint { throw RowRejection(column: "price", reason: "price is not a decimal number: \(quoted(bytes))") }
                seenPoint = true
            } else if byte >= 0x30 && byte <= 0x39 {
                let digit = Int64(byte - 0x30)
                if seenPoint {
                    fractionDigits += 1
                    if fractionDigits > 2 {
                        throw RowRejection(column: "price", reason: "price has more than 2 decimals: \(text(bytes))")
                    }
                    fraction = fraction * 10 + digit
                } else {
                    wholeDigits += 1
                    if wholeDigits > 10 && whole > 0 || wholeDigits > 30 {
                        throw RowRejection(column: "price", reason: "price is too large: \(text(bytes))")
                    }
                    whole = whole * 10 + digit
                }
            } else {
                throw RowRejection(column: "price", reason: "price is not a decimal number: \(quoted(bytes))")
            }
        }
        guard wholeDigits + fractionDigits > 0 else {
            throw RowRejection(column: "price", reason: "price is not a decimal number: \(quoted(bytes))")
        }
        if fractionDigits == 1 { fraction *= 10 }
        let cents = whole * 100 + fraction
        guard cents <= maximumPriceCents else { throw RowRejection(column: "price", reason: "price is too large: \(text(bytes))") }
        return cents
    }

    /// `YYYY-MM-DD`, optionally followed by a time (`T` or space, then `HH:MM[:SS[.f]][Z|±HH[:MM]]`), whose date is kept.
    static func date(_ bytes: UnsafeBufferPointer<UInt8>) throws(RowRejection) -> CivilDate {
        func reject() -> RowRejection {
            RowRejection(column: "order_date", reason: bytes.isEmpty ? "order_date is empty" : "order_date is not a YYYY-MM-DD date: \(quoted(bytes))")
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2)
        else { throw reject() }
        if bytes.count > 10 {
            guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), isTime(UnsafeBufferPointer(rebasing: bytes[11...])) else {
                throw reject()
            }
        }
        guard (1000...9999).contains(year) else {
            throw RowRejection(column: "order_date", reason: "order_date year \(year) is outside the supported years 1000 to 9999: \(text(bytes))")
        }
        guard let date = CivilDate(year: year, month: month, day: day) else {
            throw RowRejection(column: "order_date", reason: "order_date is not a real calendar date: \(text(bytes))")
        }
        return date
    }

    static func productID(_ bytes: UnsafeBufferPointer<UInt8>) throws(RowRejection) -> String {
        let scratch = ByteBuffer(capacity: bytes.count + 1)
        return try withExtendedLifetime(scratch) { () throws(RowRejection) -> String in String(decoding: try productID(bytes, scratch: scratch), as: UTF8.self) }
    }

    /// The id in lower case with separators as `_`: `bytes` itself when already so, else written to `scratch`.
    static func productID(_ bytes: UnsafeBufferPointer<UInt8>, scratch: ByteBuffer) throws(RowRejection) -> UnsafeRawBufferPointer {
        guard !bytes.isEmpty else { throw RowRejection(column: "product_id", reason: "product_id is empty") }
        guard bytes.count <= maximumProductCharacters else {
            throw RowRejection(column: "product_id",
                               reason: "product_id is longer than \(maximumProductCharacters) characters (\(bytes.count)): \(quoted(bytes))")
        }
        // Fast path: already normalised.
        if bytes.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }),
           bytes.first != 0x5F || bytes.count > 1 {
            var doubled = false
            for index in 1..<max(bytes.count, 1) where bytes[index] == 0x5F && bytes[index - 1] == 0x5F { doubled = true }
            if !doubled { return UnsafeRawBufferPointer(bytes) }
        }
        scratch.removeAll()
        var last: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): last = byte + 32; scratch.append(last)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): last = byte; scratch.append(byte)
            case UInt8(ascii: "-"), UInt8(ascii: "_"), 0x20, 0x09:
                // A run of separators is one underscore: "Fast - Track" is fast_track.
                if last != UInt8(ascii: "_") { last = UInt8(ascii: "_"); scratch.append(last) }
            default:
                throw RowRejection(column: "product_id", reason: "product_id may hold only letters, digits, '-', '_' and spaces: \(quoted(bytes))")
            }
        }
        return scratch.bytes
    }

    static func passengerCount(_ bytes: UnsafeBufferPointer<UInt8>) throws(RowRejection) -> Int32 {
        guard !bytes.isEmpty else { throw RowRejection(column: "passenger_count", reason: "passenger_count is empty") }
        guard let value = parseUnsigned(bytes) else {
            if bytes.first == UInt8(ascii: "-") {
                throw RowRejection(column: "passenger_count", reason: "passenger_count must be at least 1, got \(text(bytes))")
            }
            if isInteger(bytes) {
                throw RowRejection(column: "passenger_count", reason: "passenger_count is too large: \(text(bytes))")
            }
            throw RowRejection(column: "passenger_count", reason: "passenger_count is not an integer: \(quoted(bytes))")
        }
        guard value >= 1 else { throw RowRejection(column: "passenger_count", reason: "passenger_count must be at least 1, got \(text(bytes))") }
        guard value <= Int64(Int32.max) else { throw RowRejection(column: "passenger_count", reason: "passenger_count is too large: \(text(bytes))") }
        return Int32(value)
    }

    // MARK: - Byte helpers

    @inline(__always) static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    /// Digits only (an optional leading `+`), no overflow; nil otherwise.
    static func parseUnsigned(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        if bytes.first == UInt8(ascii: "+") { index = 1 }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 0x30))
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        return value
    }

    /// Digits only, with an optional leading `+`, of any length.
    static func isInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let digits = bytes.first == UInt8(ascii: "+") ? UnsafeBufferPointer(rebasing: bytes.dropFirst()) : bytes
        return !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        CivilDate.digits(bytes, start, count)
    }

    static func isTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 5, let hour = digits(bytes, 0, 2), bytes[2] == UInt8(ascii: ":"), let minute = digits(bytes, 3, 2),
              hour < 24, minute < 60 else { return false }
        var index = 5
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard bytes.count >= index + 3, let second = digits(bytes, index + 1, 2), second <= 60 else { return false }
            index += 3
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fractionStart = index
                while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
                if index == fractionStart { return false }
            }
        }
        if index == bytes.count { return true }
        if bytes[index] == UInt8(ascii: "Z") { return index + 1 == bytes.count }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return false }
        let zone = UnsafeBufferPointer(rebasing: bytes[(index + 1)...])
        switch zone.count {
        case 2: return digits(zone, 0, 2) != nil
        case 4: return digits(zone, 0, 4) != nil
        case 5: return digits(zone, 0, 2) != nil && zone[2] == UInt8(ascii: ":") && digits(zone, 3, 2) != nil
        default: return false
        }
    }

    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let value = String(decoding: bytes.prefix(60), as: UTF8.self)
        return bytes.count > 60 ? value + "…" : value
    }

    static func quoted(_ bytes: UnsafeBufferPointer<UInt8>) -> String { "\"" + text(bytes) + "\"" }

    /// Input text as messages may quote it: at most 60 characters.
    static func excerpt(_ value: String) -> String {
        value.count > 60 ? String(value.prefix(60)) + "…" : value
    }
}

/// The field without leading and trailing ASCII whitespace.
@inline(__always) func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var start = 0, end = bytes.count
    while start < end, OrderValidator.isWhitespace(bytes[start]) { start += 1 }
    while end > start, OrderValidator.isWhitespace(bytes[end - 1]) { end -= 1 }
    return UnsafeBufferPointer(rebasing: bytes[start..<end])
}
