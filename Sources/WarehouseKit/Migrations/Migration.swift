/// One file of `migrations/`: `NNNN_name.sql`, applied once, in order, never edited after release.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// SHA-256 of the file's text: an applied migration whose file changed is refused.
    public let checksum: String

    /// Checksums of earlier texts of released migrations whose later edits touched comments
    /// only: a database migrated with one of them is accepted. Nothing else may ever be added
    /// here; a change to what a migration does is a new migration.
    static let commentOnlyRevisions: [Int: Set<String>] = [
        // 0001: its header comment named a document outside the repository.
        1: ["7fed52191f6322c0b8988404e89066fd144667a1d9b4b31ae5c8752bfceb5f0b"],
    ]

    /// Whether `applied` (a ledger checksum) is this migration's text, now or before a comment-only edit.
    func matches(appliedChecksum applied: String) -> Bool {
        applied == checksum || Self.commentOnlyRevisions[version]?.contains(applied) == true
    }

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
