/// Why `migrate` refused to run. Nothing is applied when any of these is thrown.
public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case badFileName(String)
    case duplicateVersion(Int)
    case checksumMismatch(version: Int, name: String, applied: String, file: String)
    case appliedMigrationMissing(version: Int, name: String)
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
        case .databaseNewerThanCode(let databaseVersion, let codeVersion):
            return """
                the database is at migration \(format4(databaseVersion)) but this warehouse only knows up to \
                \(format4(codeVersion)): use a newer build
                """
        }
    }
}
