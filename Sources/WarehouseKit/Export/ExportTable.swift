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
    /// How an incremental export brings the table up to date.
    var refresh: ExportRefresh = .rewrite
    /// Columns (by position in ``columns``) that refer to a table written before this one; checked
    /// while the rows stream in, instead of by a `PRAGMA foreign_key_check` pass over the file.
    var references: [ExportReference] = []
    /// A full export receives the table's rows whole, ahead of writing them (``BackgroundCopy``):
    /// true for the tables that grow with customers; the facts, which grow with orders, come a
    /// few batches ahead instead, so memory stays flat.
    var readsAheadWhole = true

    /// The SQLite columns, in insert order.
    var sqliteColumnNames: [String] { columns.flatMap(\.sqliteNames) }

    /// `insert into name (a, b) values (?, ?)`; built from this file's own constants, never input.
    var insertSQL: String { insertSQL(rows: 1) }

    /// The same INSERT for `rows` rows at once: `values (?, ?), (?, ?), …`.
    func insertSQL(rows: Int) -> String {
        let names = sqliteColumnNames
        let row = "(" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
        return "insert into \(name) (\(names.joined(separator: ", "))) values "
            + Array(repeating: row, count: rows).joined(separator: ", ")
    }
}

/// How an incremental export updates one table of an existing application.db.
enum ExportRefresh: Sendable {
    /// `delta` returns the rows that may differ from the file's, keyed by the first column: each
    /// is inserted, updated when it differs, or deleted when its second column is NULL (an order
    /// removed since; every such table's second column is NOT NULL). Rows in the file that
    /// `delta` does not return are left alone.
    case changedRows(delta: SQL)
    /// Emptied and written again from ``ExportTable/source`` in its order (the report tables:
    /// small, and their row order is the report's, which any change can shuffle).
    case rewrite
}

/// A column that holds the key of a row in another table of the file.
struct ExportReference: Sendable {
    /// Position of the column in ``ExportTable/columns``.
    let column: Int
    /// The table whose key (its first column) the value must be.
    let parent: String
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
