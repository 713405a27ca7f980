/// One order as the generator models it, before it becomes a CSV line.
struct OrderRecord: Sendable, Equatable {
    var orderId: Int
    /// Customer number (0 is the most active customer); see ``CustomerNames``.
    var customer: Int
    var cents: Int
    /// Days after the calendar's start.
    var day: Int
    /// Index into ``ProductCatalog/products``.
    var product: Int
    var passengers: Int
}

/// The pieces a clean row is written from; shared by the fast path and the dirty-row renderer.
struct RowContext: Sendable {
    let names: CustomerNames
    let catalog: ProductCatalog
    let calendar: OrderCalendar

    /// Room a clean row can need, with slack for the 16-byte word copies.
    static let maximumRowLength = CustomerNames.maximumFieldLength + 128

    /// Writes `record` as the supplier writes it:
    /// `customer_name,order_id,price,order_date,product_id,passenger_count\n`.
    /// Needs ``maximumRowLength`` bytes of room.
    @inline(__always)
    func writeClean(_ record: OrderRecord, to cursor: inout ByteCursor) {
        names.write(customer: record.customer, asField: true, to: &cursor)
        cursor.put(CSVField.comma)
        cursor.putInt(record.orderId)
        cursor.put(CSVField.comma)
        cursor.putPrice(cents: record.cents)
        cursor.put(CSVField.comma)
        calendar.writeISO(dayOffset: record.day, to: &cursor)
        cursor.put(CSVField.comma)
        catalog.ids.write(record.product, to: &cursor)
        cursor.put(CSVField.comma)
        cursor.putInt(record.passengers)
        cursor.put(CSVField.newline)
    }

    /// A clean row as bytes (slow path: duplicates).
    func cleanRow(_ record: OrderRecord) -> [UInt8] {
        var row: [UInt8] = []
        row.appendWithCursor(room: Self.maximumRowLength) { writeClean(record, to: &$0) }
        return row
    }

    /// The six fields of a clean row, each already CSV-encoded, without the line ending.
    func cleanFields(_ record: OrderRecord) -> [[UInt8]] {
        var name: [UInt8] = []
        name.appendWithCursor(room: CustomerNames.maximumFieldLength) {
            names.write(customer: record.customer, asField: true, to: &$0)
        }
        var id: [UInt8] = []
        id.appendWithCursor(room: 24) { $0.putInt(record.orderId) }
        var price: [UInt8] = []
        price.appendWithCursor(room: 24) { $0.putPrice(cents: record.cents) }
        return [
            name, id, price, calendar.isoBytes(dayOffset: record.day), catalog.ids[record.product],
            Array(String(record.passengers).utf8),
        ]
    }

    static let header = Array("customer_name,order_id,price,order_date,product_id,passenger_count\n".utf8)
}
