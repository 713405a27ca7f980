/// One order as the supplier's API sends it: the six input columns as text, numbers written
/// out exactly (``JSONValue/plainDecimal(_:)``), and the instant it last changed.
///
/// Nothing here judges the values: the input rules (docs/input.md) are applied once, by the Ingestor,
/// to API rows and file rows alike. Only the shape is checked: a missing field or a value of
/// the wrong kind means the supplier broke the contract, and the whole pull stops.
struct SupplierOrder: Sendable, Equatable {
    var orderID: String
    var customerName: String
    var price: String
    var orderDate: String
    var productID: String
    var passengerCount: String
    var updatedAt: SupplierTimestamp

    /// The supplier's CSV layout, as in its daily file.
    static let csvHeader = "customer_name,order_id,price,order_date,product_id,passenger_count\n"

    /// - Parameter position: where the order stands, for messages ("page 2, order 17").
    init(json: JSONValue, position: String) throws(SupplierError) {
        guard case .object(let fields) = json else {
            throw SupplierError(.contract, "\(position): expected an order object, got \(json.kindName)")
        }
        // Name the order in later messages when its id is readable.
        var label = position
        if let id = fields["order_id"], case .number(let text) = id { label += " (order_id \(text))" }
        if let id = fields["order_id"], case .string(let text) = id { label += " (order_id \"\(text)\")" }

        func scalar(_ name: String) throws(SupplierError) -> String {
            switch fields[name] {
            case nil: throw SupplierError(.contract, "\(label): missing field \"\(name)\"")
            case .string(let text)?: return text
            case .number(let literal)?: return JSONValue.plainDecimal(literal)
            case let other?: throw SupplierError(.contract, "\(label): \"\(name)\" must be a number or a string, got \(other.kindName)")
            }
        }
        orderID = try scalar("order_id")
        customerName = try scalar("customer_name")
        price = try scalar("price")
        orderDate = try scalar("order_date")
        productID = try scalar("product_id")
        passengerCount = try scalar("passenger_count")
        switch fields["updated_at"] {
        case nil:
            throw SupplierError(.contract, "\(label): missing field \"updated_at\"")
        case .string(let text)?:
            guard let instant = SupplierTimestamp(iso8601: text) else {
                throw SupplierError(.contract, "\(label): updated_at \"\(text)\" is not an ISO-8601 time with a zone")
            }
            updatedAt = instant
        case let other?:
            throw SupplierError(.contract, "\(label): \"updated_at\" must be a string, got \(other.kindName)")
        }
    }

    /// The order's id when it is a plain positive integer (the only kind validation accepts).
    var integerID: Int64? {
        guard let id = Int64(orderID), id > 0 else { return nil }
        return id
    }

    /// The order as one RFC 4180 record in ``csvHeader``'s column order, newline included.
    func appendCSVRecord(to out: inout String) {
        for (index, field) in [customerName, orderID, price, orderDate, productID, passengerCount].enumerated() {
            if index > 0 { out += "," }
            if field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
                out += "\"" + field.replacingQuotes() + "\""
            } else {
                out += field
            }
        }
        out += "\n"
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var result = ""
        result.reserveCapacity(utf8.count + 2)
        for character in self {
            if character == "\"" { result += "\"\"" } else { result.append(character) }
        }
        return result
    }
}
