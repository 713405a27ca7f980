/// The unusual rows a supplier file really contains, and how each is written.
///
/// Two families, chosen in turn (round-robin) so that even a small file holds every kind:
/// ``Rejected`` rows break an input rule (docs/input.md) and must be rejected;
/// ``Oddity`` rows look unusual but are legal and must load as the clean order would.
/// Duplicates (differing and exact) need a second line later in the file, so
/// ``OrderFileWriter`` handles them; everything else is rendered here from the clean fields.
enum DirtyRows {
    /// Kinds of row that must be rejected.
    enum Rejected: CaseIterable {
        case impossibleDate, malformedDate, negativePrice, nonNumericPrice, priceTooManyDecimals
        case blankCustomer, passengersNotPositive, passengersNotInteger, differingDuplicate
        case orderIdNotInteger, orderIdNotPositive, wrongFieldCount

        var reason: RejectReason {
            switch self {
            case .impossibleDate, .malformedDate: .badDate
            case .negativePrice: .negativePrice
            case .nonNumericPrice: .nonNumericPrice
            case .priceTooManyDecimals: .priceTooManyDecimals
            case .blankCustomer: .blankCustomer
            case .passengersNotPositive: .passengersNotPositive
            case .passengersNotInteger: .passengersNotInteger
            case .differingDuplicate: .duplicateOrderId
            case .orderIdNotInteger: .orderIdNotInteger
            case .orderIdNotPositive: .orderIdNotPositive
            case .wrongFieldCount: .wrongFieldCount
            }
        }
    }

    /// Kinds of legal oddity.
    enum Oddity: CaseIterable {
        /// `fast-track`, `Fast Track`, `LOUNGE`: normalises to the product id.
        case productSpelling
        /// Spaces around the id, price, date, product or passenger fields.
        case fieldWhitespace
        /// Spaces around the name and doubled inside it.
        case nameWhitespace
        /// The same line again, later in the file: counts once.
        case exactDuplicate
        /// The line ends in CRLF.
        case crlf
        /// `2023-10-01T12:30:00` instead of `2023-10-01`: keeps its date.
        case timestamp
        /// Every field quoted, though none needs it.
        case quotedFields
        /// A line break inside the quoted name (whitespace, so it collapses to one space).
        case multilineName
    }

    /// Field indexes in the supplier's column order.
    private static let name = 0, id = 1, price = 2, date = 3, product = 4, passengers = 5

    private static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The fields (CSV-encoded) of a row of kind `kind` for `record`. Never called for
    /// ``Rejected/differingDuplicate``.
    static func render(
        _ kind: Rejected, _ record: OrderRecord, context: RowContext, random: inout SeededRandom
    ) -> [[UInt8]] {
        var fields = context.cleanFields(record)
        let year = context.calendar.date(atOffset: record.day).components.year
        let yyyy = String(year)
        switch kind {
        case .impossibleDate:
            let choices = ["\(yyyy)-02-30", "\(yyyy)-13-01", "\(yyyy)-09-31", "\(yyyy)-00-10", "\(yyyy)-04-31"]
            fields[date] = ascii(choices[Int(random.next(below: UInt64(choices.count)))])
        case .malformedDate:
            let iso = String(decoding: fields[date], as: UTF8.self)
            let parts = iso.split(separator: "-")
            let choices = ["not-a-date", "", "\(parts[1])/\(parts[2])/\(parts[0])", "\(parts[0])/\(parts[1])/\(parts[2])", "N/A"]
            fields[date] = ascii(choices[Int(random.next(below: UInt64(choices.count)))])
        case .negativePrice:
            fields[price] = [UInt8(ascii: "-")] + fields[price]
        case .nonNumericPrice:
            let choices = ["N/A", "", "abc", "12.5.0", "$\(String(decoding: fields[price], as: UTF8.self))"]
            fields[price] = ascii(choices[Int(random.next(below: UInt64(choices.count)))])
        case .priceTooManyDecimals:
            // Cents plus a non-zero third decimal: 12.34 → 12.345, never 12.340.
            let cents = record.cents
            let third = 1 + Int(random.next(below: 9))
            let fraction = cents % 100
            fields[price] = ascii("\(cents / 100).\(fraction / 10)\(fraction % 10)\(third)")
        case .blankCustomer:
            let choices: [[UInt8]] = [[], ascii("   "), ascii("\" \n \"")]
            fields[name] = choices[Int(random.next(below: UInt64(choices.count)))]
        case .passengersNotPositive:
            fields[passengers] = random.next(below: 2) == 0 ? ascii("0") : ascii("-\(record.passengers)")
        case .passengersNotInteger:
            let choices = ["\(record.passengers).5", "two", "", "2 adults"]
            fields[passengers] = ascii(choices[Int(random.next(below: UInt64(choices.count)))])
        case .orderIdNotInteger:
            let choices = ["ORD-\(record.orderId)", "\(record.orderId).5", "", "#\(record.orderId)"]
            fields[id] = ascii(choices[Int(random.next(below: UInt64(choices.count)))])
        case .orderIdNotPositive:
            fields[id] = random.next(below: 2) == 0 ? ascii("0") : ascii("-\(record.orderId)")
        case .wrongFieldCount:
            switch random.next(below: 3) {
            case 0:
                fields.removeLast()
            case 1:
                fields.append(ascii("extra"))
            default:
                // A record that spans two lines and is one field short.
                var raw = context.names.name(customer: record.customer)
                if let space = raw.firstIndex(of: UInt8(ascii: " ")) { raw[space] = CSVField.newline }
                fields[name] = []
                CSVField.appendQuoted(raw, to: &fields[name])
                fields.removeLast()
            }
        case .differingDuplicate:
            preconditionFailure("differing duplicates are written by OrderFileWriter")
        }
        return fields
    }

    /// The fields (CSV-encoded) of a row with oddity `kind`, and whether it ends in CRLF.
    /// Never called for ``Oddity/exactDuplicate``.
    static func render(
        _ kind: Oddity, _ record: OrderRecord, context: RowContext, random: inout SeededRandom
    ) -> (fields: [[UInt8]], crlf: Bool) {
        var fields = context.cleanFields(record)
        var crlf = false
        switch kind {
        case .productSpelling:
            let variants = ProductCatalog.products[record.product].variants
            fields[product] = ascii(variants[Int(random.next(below: UInt64(variants.count)))])
        case .fieldWhitespace:
            // Pad a random non-empty subset of the five unquoted fields.
            var mask = 1 + random.next(below: 31)
            for field in [id, price, date, product, passengers] {
                if mask & 1 == 1 {
                    let before = Int(random.next(below: 3))
                    let after = before == 0 ? 1 + Int(random.next(below: 2)) : Int(random.next(below: 3))
                    fields[field] = Array(repeating: UInt8(ascii: " "), count: before) + fields[field]
                        + Array(repeating: UInt8(ascii: " "), count: after)
                }
                mask >>= 1
            }
        case .nameWhitespace:
            var raw = context.names.name(customer: record.customer)
            if let space = raw.firstIndex(of: UInt8(ascii: " ")) {
                raw.insert(contentsOf: ascii("  "), at: space)
            }
            raw = ascii("  ") + raw + ascii(" ")
            fields[name] = []
            CSVField.appendEscaped(raw, to: &fields[name])
        case .crlf:
            crlf = true
        case .timestamp:
            let hour = Int(random.next(below: 24)), minute = Int(random.next(below: 60)), second = Int(random.next(below: 60))
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            fields[date] += ascii("T\(two(hour)):\(two(minute)):\(two(second))")
        case .quotedFields:
            let raw = context.names.name(customer: record.customer)
            fields[name] = []
            CSVField.appendQuoted(raw, to: &fields[name])
            for field in [id, price, date, product, passengers] {
                fields[field] = [CSVField.quote] + fields[field] + [CSVField.quote]
            }
        case .multilineName:
            var raw = context.names.name(customer: record.customer)
            if let space = raw.firstIndex(of: UInt8(ascii: " ")) { raw[space] = CSVField.newline }
            fields[name] = []
            CSVField.appendQuoted(raw, to: &fields[name])
        case .exactDuplicate:
            preconditionFailure("exact duplicates are written by OrderFileWriter")
        }
        return (fields, crlf)
    }
}
