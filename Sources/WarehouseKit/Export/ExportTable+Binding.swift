/// Turning one COPY row into the parameters of the table's INSERT.
extension ExportTable {
    /// Binds the fields of `row` to `statement` (this table's ``insertSQL``), or records them for
    /// binding later (``EncodedRows``).
    /// - Parameter rowNumber: 1-based, for error messages.
    /// - Throws: ``ExportError`` when the row has the wrong number of fields or a value does not
    ///   parse; ``SQLiteError`` from binding.
    func bind<Sink: ExportParameterSink>(_ row: CopyTextDecoder.CopyTextRow, to statement: inout Sink, rowNumber: Int) throws {
        guard row.count == columns.count else {
            throw ExportError.malformedCopyRow(
                "\(name) row \(rowNumber) has \(row.count) fields, expected \(columns.count)")
        }
        var parameter = 1
        for (index, column) in columns.enumerated() {
            guard let bytes = row[index] else {
                for offset in 0..<column.width { try statement.bindNull(at: parameter + offset) }
                parameter += column.width
                continue
            }
            switch column.kind {
            case .integer:
                guard let value = CopyNumber.int64(bytes) else {
                    throw badValue(row: rowNumber, column: column, bytes, "not a 64-bit integer")
                }
                try statement.bind(value, at: parameter)
            case .text:
                try statement.bindText(bytes, at: parameter)
            case .boolean:
                switch bytes.first {
                case UInt8(ascii: "t") where bytes.count == 1: try statement.bind(1 as Int64, at: parameter)
                case UInt8(ascii: "f") where bytes.count == 1: try statement.bind(0 as Int64, at: parameter)
                default: throw badValue(row: rowNumber, column: column, bytes, "not a boolean")
                }
            case .money:
                guard let cents = CopyNumber.cents(bytes) else {
                    throw badValue(row: rowNumber, column: column, bytes, "not an amount with at most 2 decimals")
                }
                try statement.bind(cents, at: parameter)
                // Division by 100 is correctly rounded: the REAL is the double nearest the exact amount.
                try statement.bind(Double(cents) / 100, at: parameter + 1)
            }
            parameter += column.width
        }
    }

    /// Binds the fields of `row` to `statement` (this table's ``insertSQL``).
    func bind(_ row: CopyTextDecoder.CopyTextRow, to statement: SQLiteStatement, rowNumber: Int) throws {
        var statement = statement
        try bind(row, to: &statement, rowNumber: rowNumber)
    }

    /// Notes the row's references (``references``) that name no row of their parent table.
    /// Only called after ``bind(_:to:rowNumber:)`` accepted the row, so the values parse.
    /// - Parameter parents: ``ReferenceCheck/parentKeys(of:)`` for this table.
    func checkReferences(
        _ row: CopyTextDecoder.CopyTextRow, rowNumber: Int, parents: [KeySet], into check: inout ReferenceCheck
    ) throws {
        guard !references.isEmpty else { return }
        for (position, reference) in references.enumerated() {
            guard let bytes = row[reference.column], let value = CopyNumber.int64(bytes) else {
                throw badValue(row: rowNumber, column: columns[reference.column], row[reference.column] ?? .init(start: nil, count: 0),
                               "not a key")
            }
            if !parents[position].contains(value) {
                check.noteMissing(table: name, reference, key: row[0].flatMap(CopyNumber.int64) ?? Int64(rowNumber))
            }
        }
    }

    private func badValue(
        row: Int, column: ExportColumn, _ bytes: UnsafeRawBufferPointer, _ problem: String
    ) -> ExportError {
        // Only numeric and boolean columns get here, so showing the value reveals no names.
        let shown = String(decoding: bytes.prefix(40), as: UTF8.self)
        return ExportError.badValue(table: name, row: row, column: column.name, "\(problem): \"\(shown)\"")
    }
}
