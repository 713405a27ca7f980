public import Foundation

/// The private PostgreSQL cluster a new user gets without any set-up (built in issue 2's
/// embedded-cluster work): data under `<home>/pg`, a unix socket, no TCP.
public struct EmbeddedCluster: Sendable {
    public let home: URL
    public let environment: [String: String]

    public init(home: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.home = home
        self.environment = environment
    }

    public struct Running: Sendable {
        public let conninfo: String
    }

    public func startIfNeeded() throws -> Running {
        throw EmbeddedClusterError.notBuilt
    }
}

public enum EmbeddedClusterError: Error, CustomStringConvertible {
    case notBuilt
    public var description: String { "the embedded cluster is not built yet: set DATABASE_URL" }
}
