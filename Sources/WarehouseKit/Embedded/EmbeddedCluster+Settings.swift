import Foundation

extension EmbeddedCluster {
    /// Server settings for a local analytics box, written to `data/warehouse.conf` on every start.
    ///
    /// `postgresql.conf` includes that file, and `postgresql.auto.conf` is read after it, so
    /// `ALTER SYSTEM SET …` still overrides any of these. Durability stays on (fsync,
    /// synchronous_commit, full_page_writes): a committed load must survive a power cut.
    /// https://www.postgresql.org/docs/current/config-setting.html#CONFIG-INCLUDES
    public static let defaultSettings: [(name: String, value: String)] = [
        // Bulk loads: COPY and index builds want memory; big WAL spacing avoids checkpoint storms.
        ("shared_buffers", "1GB"),
        ("work_mem", "64MB"),
        ("maintenance_work_mem", "1GB"),
        // One helper per core besides the building process: more processes than cores made the
        // first load's index builds slower (a load gives each sorting process 32 MB: 00_prepare.sql).
        ("max_parallel_maintenance_workers", String(max(1, ProcessInfo.processInfo.activeProcessorCount - 1))),
        ("max_wal_size", "4GB"),
        ("checkpoint_timeout", "15min"),
        // No replicas hang off a private cluster, so WAL need only make commits durable: with
        // `minimal`, a COPY into a table emptied in the same transaction (the first load) and
        // its index builds are synced at commit instead of being written twice.
        // https://www.postgresql.org/docs/15/populate.html#POPULATE-PITR
        ("wal_level", "minimal"),
        ("max_wal_senders", "0"),
        // Local disks are SSDs nowadays: random reads cost about what sequential ones do.
        ("random_page_cost", "1.1"),
        ("effective_cache_size", "2GB"),
        ("fsync", "on"),
        ("synchronous_commit", "on"),
        ("full_page_writes", "on"),
        ("max_connections", "50"),
    ]

    /// The text of `warehouse.conf`: connection settings, then defaults, then ``settings``.
    func configuration(for layout: ClusterLayout) -> String {
        var lines = [
            "# Written by warehouse on every start of the embedded cluster: edits here are lost.",
            "# To change a setting, use ALTER SYSTEM (postgresql.auto.conf is read after this file).",
            "",
            "# A unix socket only, usable by its owner only: no TCP port is opened.",
            "listen_addresses = ''",
            "port = \(Self.port)",
            "unix_socket_directories = \(quoted(layout.socketDirectory.path))",
            "unix_socket_permissions = 0700",
            "",
        ]
        let overridden = Set(settings.keys)
        for (name, value) in Self.defaultSettings where !overridden.contains(name) {
            lines.append("\(name) = \(quoted(value))")
        }
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
            lines.append("\(name) = \(quoted(value))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// postgresql.conf string syntax: single quotes, an inner quote doubled.
    private func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
