/// The repository's SQL folders, compiled into the binary by the EmbedSQL plugin.
public enum SQLFiles {
    /// `migrations/NNNN_name.sql`, sorted by name.
    public static var migrations: [(name: String, sql: String)] { EmbeddedSQL.files["migrations"] ?? [] }
    /// `sql/transform/NN_step.sql`, the per-load steps, sorted by name.
    public static var transform: [(name: String, sql: String)] { EmbeddedSQL.files["sql/transform"] ?? [] }
    /// `sql/analysis/NN_report.sql`, the report queries as analysts run them under psql.
    public static var analysis: [(name: String, sql: String)] { EmbeddedSQL.files["sql/analysis"] ?? [] }

    public static func transform(named name: String) -> String? { transform.first { $0.name == name }?.sql }
    public static func analysis(named name: String) -> String? { analysis.first { $0.name == name }?.sql }
}
