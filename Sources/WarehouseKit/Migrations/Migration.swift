/// One file of `migrations/`: `NNNN_name.sql`, applied once, in order, never edited after release.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// SHA-256 of the file's text: an applied migration whose file changed is refused.
    public let checksum: String

    public init(fileName: String, sql: String) throws {
        let stem = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : fileName
        guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else {
            throw MigrationError.badFileName(fileName)
        }
        self.version = version
        self.name = String(stem[stem.index(after: underscore)...])
        self.sql = sql
        self.checksum = SHA256Hasher.hex(of: sql)
    }

    /// The migrations compiled into this binary.
    public static func embedded() throws -> [Migration] {
        let all = try SQLFiles.migrations.map { try Migration(fileName: $0.name, sql: $0.sql) }
        var seen = Set<Int>()
        for migration in all where !seen.insert(migration.version).inserted {
            throw MigrationError.duplicateVersion(migration.version)
        }
        return all.sorted { $0.version < $1.version }
    }

    public var fileName: String { Self.displayName(version: version, name: name) }
}

func format4(_ value: Int) -> String {
    let digits = String(value)
    return digits.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.count) + digits
}

extension Migration {
    public static func displayName(version: Int, name: String) -> String { format4(version) + "_" + name + ".sql" }
}
