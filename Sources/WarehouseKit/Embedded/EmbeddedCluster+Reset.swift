public import Foundation

extension EmbeddedCluster {
    /// The folders ``reset()`` deletes, those that exist: the cluster's own folder (data, log and
    /// usually the socket), wherever it lives (relocated to `/var/tmp`, a socket folder in `/tmp`),
    /// and the local copy of the known orders (`<home>/cache`), which describes the warehouse
    /// being deleted. Nothing is created or probed.
    public var resetTargets: [URL] {
        var layouts = [ClusterLayout(home: home, relocated: false)]
        // Only a cluster made by root is ever relocated (see ClusterLayout).
        if ServerAccount.isRoot { layouts.append(ClusterLayout(home: home, relocated: true)) }
        var targets: [URL] = []
        for layout in layouts {
            targets.append(layout.root)
            if !layout.socketDirectory.path.hasPrefix(layout.root.path + "/") { targets.append(layout.socketDirectory) }
        }
        targets.append(home.appendingPathComponent("cache", isDirectory: true))
        var seen: Set<String> = []
        return targets.filter { FileManager.default.fileExists(atPath: $0.path) && seen.insert($0.path).inserted }
    }

    /// Stops the server if it runs and deletes ``resetTargets``, under the same lock that creating
    /// and starting take, so no other process starts the cluster halfway. The next command that
    /// needs the database creates an empty one.
    /// - Returns: the folders deleted, and whether a server was running.
    /// - Throws: ``EmbeddedClusterError`` when the server does not stop; a file system error when a
    ///   folder cannot be deleted (what was deleted before it stays deleted).
    public func reset() throws -> (deleted: [URL], wasRunning: Bool) {
        guard !resetTargets.isEmpty else { return ([], false) }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let lock = try FileLock(lockFile)
        defer { lock.unlock() }
        let wasRunning = try stopHoldingLock()
        let targets = resetTargets
        for target in targets { try FileManager.default.removeItem(at: target) }
        return (targets, wasRunning)
    }
}
