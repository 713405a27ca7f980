public import Foundation

extension EmbeddedCluster {
    /// What `warehouse db status` reports. Reading it changes nothing and starts nothing.
    public struct Status: Sendable {
        public let home: URL
        public let layout: ClusterLayout
        public let isInitialized: Bool
        /// A postmaster for this data folder is alive.
        public let isRunning: Bool
        /// It answered a connection attempt.
        public let isAcceptingConnections: Bool
        public let pid: Int32?
        /// The OS account the server runs as.
        public let serverUser: String
        /// True when we are root and the server runs as ``serverUser`` instead.
        public let runsAsOtherUser: Bool
        /// Where initdb and pg_ctl were found, nil when they are not installed.
        public let binaries: PostgresBinaries?
        /// `postgres --version` of those programs.
        public let serverVersion: String?
        /// The major version the data folder was made by.
        public let dataVersion: String?
        /// A psql-ready URL (works once the server runs).
        public let url: String

        /// Lines for people: state, where things are, and why the data is where it is.
        public var summary: [String] {
            var lines: [String] = []
            let state = !isInitialized ? "not created yet (the first command that needs the database creates it)"
                : isAcceptingConnections ? "running (pid \(pid.map(String.init) ?? "?"))"
                : isRunning ? "starting or stopping (pid \(pid.map(String.init) ?? "?")), not accepting connections"
                : "stopped"
            lines.append("Embedded cluster: \(state)")
            lines.append("Home:     \(home.path)")
            lines.append("Data:     \(layout.dataDirectory.path)" + (dataVersion.map { " (PostgreSQL \($0))" } ?? ""))
            if layout.isRelocated {
                lines.append("          relocated outside the home folder: the server's account (\(serverUser)) cannot enter \(home.path)")
            }
            lines.append("Log:      \(layout.logFile.path)")
            lines.append("Socket:   \(layout.socketDirectory.path)")
            lines.append("URL:      \(url)")
            if runsAsOtherUser {
                lines.append("Runs as:  \(serverUser) (PostgreSQL refuses to run as root)")
            }
            if let binaries {
                lines.append("Programs: \(binaries.directory.path)" + (serverVersion.map { " (\($0))" } ?? ""))
            } else {
                lines.append("Programs: not found — \(PostgresBinaries.notFoundMessage.split(separator: "\n").dropFirst().joined(separator: " "))")
            }
            return lines
        }
    }

    /// The cluster's state, without creating or starting anything.
    /// - Throws: ``EmbeddedClusterError`` `.serverUser` when running as root with no account to run as.
    public func status() throws -> Status {
        let (layout, account) = try resolve()
        let binaries = try? PostgresBinaries.locate(environment: environment)
        var pid: Int32?
        var running = false
        if layout.isInitialized, let value = ServerControl.recordedPID(layout),
           ServerControl.isPostmaster(pid: value, dataDirectory: layout.dataDirectory) {
            pid = value
            running = true
        }
        return Status(
            home: home, layout: layout, isInitialized: layout.isInitialized, isRunning: running,
            isAcceptingConnections: running && canConnect(layout, database: Self.database), pid: pid,
            serverUser: account.name, runsAsOtherUser: account.switchesUser, binaries: binaries,
            serverVersion: binaries?.serverVersion(environment: environment), dataVersion: layout.dataVersion,
            url: Self.parameters(layout, database: Self.database).url)
    }
}
