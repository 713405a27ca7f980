/// One table of application.db: its SQLite definition and the PostgreSQL query that fills it.
///
/// The query's columns map one-to-one, in order, onto ``columns``; a money column becomes two
/// SQLite columns (see ``ExportValueKind/money``). The definitions themselves are in
/// `ExportTable+Catalog.swift`.
struct ExportTable: Sendable {
    /// The SQLite table's name; also the key of its row count in `export_info`.
    let name: String
    /// `CREATE TABLE …` for SQLite.
    let create: String
    /// `CREATE INDEX …` statements, run after the rows are in (building an index once is
    /// cheaper than keeping it sorted through a million inserts).
    let indexes: [String]
    /// A `select` on the warehouse, in PostgreSQL; it is run as `COPY (select …) TO STDOUT`.
    let source: SQL
    let columns: [ExportColumn]
    /// The same rows as they stood right after the batch in the `warehouse.at_batch` setting
    /// (`export-sqlite --at-batch`); nil when `source` serves both.
    var sourceAtBatch: SQL? = nil

    /// The SQLite columns, in insert order.
    var sqliteColumnNames: [String] { columns.flatMap(\.sqliteNames) }

    /// `insert into name (a, b) values (?, ?)`; built from this file's own constants, never input.
    var insertSQL: String {
        let names = sqliteColumnNames
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        return "insert into \(name) (\(names.joined(separator: ", "))) values (\(placeholders))"
    }
}

/// A column of the PostgreSQL query and how its text becomes SQLite values.
struct ExportColumn: Sendable {
    let name: String
    let kind: ExportValueKind

    init(_ name: String, _ kind: ExportValueKind) {
        self.name = name
        self.kind = kind
    }

    var sqliteNames: [String] {
        kind == .money ? [name + "_cents", name] : [name]
    }

    /// How many SQLite columns (and INSERT parameters) it fills; cheap, for the per-row path.
    var width: Int { kind == .money ? 2 : 1 }
}

/// SQLite's storage classes, chosen per column; docs/export.md explains the choices.
enum ExportValueKind: Sendable {
    /// Integers of any width → INTEGER.
    case integer
    /// Text, and dates as ISO `YYYY-MM-DD` (what SQLite's date functions read) → TEXT.
    case text
    /// `t`/`f` → INTEGER 1/0 (SQLite has no boolean).
    case boolean
    /// `numeric(p, 2)` → INTEGER hundredths in `<name>_cents` (exact: sums never drift) and
    /// REAL in `<name>` (what a person types `sum(price)` on).
    case money
}
