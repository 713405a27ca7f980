/// Why `migrate` refused to run. Nothing is applied when any of these is thrown.
public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case badFileName(String)
    case duplicateVersion(Int)
    case checksumMismatch(version: Int, name: String, applied: String, file: String)
    case appliedMigrationMissing(version: Int, name: String)
    /// Applied under one name, now shipped under another with the same version.
    case renamed(version: Int, appliedName: String, fileName: String)
    /// A migration of this build, older than the newest applied one, has no ledger row: its row
    /// was deleted (or the schema was built by hand), and its objects are most likely there.
    case ledgerGap(version: Int, name: String, newestApplied: Int, checksum: String)
    /// A pending migration failed because what it creates already exists: its ledger row is
    /// missing although it ran before. `detail` is PostgreSQL's message.
    case objectsAlreadyExist(version: Int, name: String, detail: String)
    case databaseNewerThanCode(databaseVersion: Int, codeVersion: Int)

    public var description: String {
        switch self {
        case .badFileName(let name):
            return "migration file \(name) is not named NNNN_name.sql"
        case .duplicateVersion(let version):
            return "two migration files share version \(format4(version))"
        case .checksumMismatch(let version, let name, let applied, let file):
            return """
                migration \(format4(version))_\(name).sql was changed after it was applied \
                (applied checksum \(applied.prefix(12))…, file now \(file.prefix(12))…). \
                Released migrations are immutable: restore the file and add a new migration instead.
                """
        case .appliedMigrationMissing(let version, let name):
            return "migration \(format4(version))_\(name).sql is applied in this database but missing from this build"
        case .renamed(let version, let appliedName, let fileName):
            return """
                migration \(format4(version)) was applied as \(Migration.displayName(version: version, name: appliedName)) \
                but this build names it \(Migration.displayName(version: version, name: fileName)). \
                Released migrations are immutable, names included: restore the file's name.
                """
        case .ledgerGap(let version, let name, let newestApplied, let checksum):
            return """
                migration \(format4(version))_\(name) is not in the ledger (ops.schema_migrations) of this \
                database, but later migrations up to \(format4(newestApplied)) are. Either its row was deleted \
                or the schema was changed by hand (its objects most likely exist), or the file was added \
                after \(format4(newestApplied)) was applied (number new migrations after the newest released \
                one). It is not run out of order; nothing was applied. If its row was deleted and the schema \
                is intact, restore the row: insert into ops.schema_migrations (version, name, checksum, \
                duration_ms) values (\(version), '\(name)', '\(checksum)', 0)
                """
        case .objectsAlreadyExist(let version, let name, let detail):
            return """
                migration \(format4(version))_\(name) is not in the ledger but its objects exist \
                (\(detail)): its row in ops.schema_migrations was probably deleted (or the migration \
                creates something an earlier one already made). Nothing of it was applied. If the schema \
                is intact, restore the row rather than dropping objects.
                """
        case .databaseNewerThanCode(let databaseVersion, let codeVersion):
            return """
                the database is at migration \(format4(databaseVersion)) but this warehouse only knows up to \
                \(format4(codeVersion)): use a newer build
                """
        }
    }
}
