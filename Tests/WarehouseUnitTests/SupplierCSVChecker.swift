/// A deliberately small, independent reader of the supplier's CSV for the generator's tests:
/// RFC 4180 parsing with physical line numbers, and the input rules (docs/input.md) applied as a
/// reader would apply them. It shares no code with the generator, so it can catch it lying.
struct SupplierCSVChecker {
    struct Record {
        /// Physical line the record starts on (the header is line 1).
        var line: Int
        var fields: [String]
    }

    /// An order as a correct load would keep it.
    struct Order: Hashable {
        var orderId: Int
        var customer: String
        var cents: Int
        var date: String
        var product: String
        var passengers: Int
    }

    let header: [String]
    let records: [Record]
    /// Physical lines, header included.
    let lineCount: Int

    /// Parses `bytes` (RFC 4180: quoted fields may hold commas, doubled quotes and line
    /// breaks; lines end in LF or CRLF).
    init(_ bytes: [UInt8]) {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && field.isEmpty {
                inQuotes = true
            } else if byte == UInt8(ascii: ",") {
                endField()
            } else if byte == UInt8(ascii: "\n") {
                if field.last == UInt8(ascii: "\r") { field.removeLast() }
                endField()
                records.append(Record(line: recordLine, fields: fields))
                fields = []
                line += 1
                recordLine = line
            } else {
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !fields.isEmpty {
            endField()
            records.append(Record(line: recordLine, fields: fields))
        }
        header = records.first?.fields ?? []
        self.records = Array(records.dropFirst())
        lineCount = bytes.last == UInt8(ascii: "\n") ? line - 1 : line
    }

    /// The reason a record breaks a rule (manifest spelling), or its order when it is valid.
    func check(_ record: Record) -> Result<Order, Rejection> {
        guard record.fields.count == header.count else { return .failure(Rejection("wrong_field_count")) }
        var value: [String: String] = [:]
        for (name, field) in zip(header, record.fields) { value[name] = Self.trim(field) }
        let id = value["order_id"]!, name = value["customer_name"]!, price = value["price"]!
        let date = value["order_date"]!, product = value["product_id"]!, passengers = value["passenger_count"]!

        guard let orderId = Self.integer(id) else { return .failure(Rejection("order_id_not_integer")) }
        guard orderId > 0 else { return .failure(Rejection("order_id_not_positive")) }
        let customer = name.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
            .joined(separator: " ")
        guard !customer.isEmpty else { return .failure(Rejection("blank_customer")) }
        guard let (negative, whole, decimals) = Self.decimal(price) else { return .failure(Rejection("non_numeric_price")) }
        guard !negative else { return .failure(Rejection("negative_price")) }
        guard decimals.count <= 2 else { return .failure(Rejection("price_too_many_decimals")) }
        guard let day = Self.calendarDate(date) else { return .failure(Rejection("bad_date")) }
        guard let count = Self.integer(passengers) else { return .failure(Rejection("passengers_not_integer")) }
        guard count >= 1 else { return .failure(Rejection("passengers_not_positive")) }
        let cents = whole * 100 + (decimals.isEmpty ? 0 : decimals.count == 1 ? Int(decimals)! * 10 : Int(decimals)!)
        let normalisedProduct = String(product.lowercased().map { $0 == "-" || $0 == " " ? "_" : $0 })
        return .success(Order(
            orderId: orderId, customer: customer, cents: cents, date: day, product: normalisedProduct, passengers: count))
    }

    struct Rejection: Error, Equatable {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Line → reason for every record a correct load rejects, duplicates included, and the
    /// orders it keeps.
    func expectedLoad() -> (rejected: [Int: String], orders: [Int: Order]) {
        var rejected: [Int: String] = [:]
        var byId: [Int: [(line: Int, order: Order)]] = [:]
        for record in records {
            switch check(record) {
            case .failure(let rejection): rejected[record.line] = rejection.reason
            case .success(let order): byId[order.orderId, default: []].append((record.line, order))
            }
        }
        var orders: [Int: Order] = [:]
        for (id, rows) in byId {
            if Set(rows.map(\.order)).count > 1 {
                for row in rows { rejected[row.line] = "duplicate_order_id" }
            } else {
                orders[id] = rows[0].order
            }
        }
        return (rejected, orders)
    }

    // MARK: - Rules

    private static func trim(_ text: String) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    private static func integer(_ text: String) -> Int? {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else { return nil }
        return negative ? -value : value
    }

    private static func decimal(_ text: String) -> (negative: Bool, whole: Int, decimals: String)? {
        var rest = Substring(text)
        let negative = rest.first == "-"
        if negative { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), parts[0].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let decimals = parts.count == 2 ? String(parts[1]) : ""
        guard parts.count == 1 || (!decimals.isEmpty && decimals.allSatisfy({ $0.isASCII && $0.isNumber })) else { return nil }
        return (negative, whole, decimals)
    }

    /// `YYYY-MM-DD`, optionally followed by a `T` or space and a time; a real calendar day.
    private static func calendarDate(_ text: String) -> String? {
        let chars = Array(text)
        guard chars.count >= 10, chars[4] == "-", chars[7] == "-" else { return nil }
        if chars.count > 10 {
            guard chars[10] == "T" || chars[10] == " ",
                chars[11...].allSatisfy({ $0.isNumber || $0 == ":" }) else { return nil }
        }
        guard let year = Int(String(chars[0..<4])), let month = Int(String(chars[5..<7])), let day = Int(String(chars[8..<10])),
            chars[0..<10].enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || $0.element.isNumber })
        else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...lengths[month - 1]).contains(day) else { return nil }
        return String(chars[0..<10])
    }
}
