extension DatabaseSettings {
    /// Where an export's data came from, for `export_info.source`: the URL with its password
    /// redacted, or a phrase. Never a path of this machine (the embedded cluster's folder): the
    /// file travels to other people's machines.
    public var exportSourceDescription: String {
        switch source {
        case .flag(let url), .environment(let url): return ConnectionString.redact(url)
        case .libpqVariables: return "libpq PG* environment variables"
        case .embedded: return "embedded cluster"
        }
    }
}
