/// The six input columns (docs/input.md), matched by name in any order.
enum InputColumn: String, CaseIterable, Sendable {
    case orderID = "order_id"
    case customerName = "customer_name"
    case price
    case orderDate = "order_date"
    case productID = "product_id"
    case passengerCount = "passenger_count"
}

/// Where each required column sits in a file, from its header.
struct ColumnLayout: Sendable {
    /// Position of each required column, indexed by `InputColumn.allCases` order.
    let positions: [Int]
    let fieldCount: Int
    let ignored: [String]

    func position(_ column: InputColumn) -> Int {
        positions[InputColumn.allCases.firstIndex(of: column)!]
    }

    /// Matches header names case-insensitively and trimmed; extra columns are ignored (with a
    /// warning by the caller), a missing or repeated one is an error before anything loads.
    static func from(header: [String], source: String) throws -> ColumnLayout {
        let names = header.map { $0.trimmingASCIIWhitespace().lowercased() }
        var positions: [Int] = []
        var missing: [String] = []
        for column in InputColumn.allCases {
            let matches = names.indices.filter { names[$0] == column.rawValue }
            if matches.count > 1 {
                throw IngestError.duplicateColumn(source: source, column: column.rawValue)
            }
            if let position = matches.first { positions.append(position) } else { missing.append(column.rawValue) }
        }
        guard missing.isEmpty else {
            throw IngestError.missingColumns(source: source, missing: missing, found: header)
        }
        let known = Set(InputColumn.allCases.map(\.rawValue))
        let ignored = header.enumerated().filter { !known.contains(names[$0.offset]) }.map(\.element)
        return ColumnLayout(positions: positions, fieldCount: header.count, ignored: ignored)
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, scalars[start].isASCIIWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].isASCIIWhitespace { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}

extension Unicode.Scalar {
    var isASCIIWhitespace: Bool { value == 0x20 || (value >= 0x09 && value <= 0x0D) }
}
