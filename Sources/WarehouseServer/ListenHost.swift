#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FlyingSocks

/// The address `warehouse serve` binds to: an IPv4 or IPv6 literal, or `localhost`.
///
/// Host names other than `localhost` are refused rather than resolved: what a name resolves to
/// can change, and whether the socket is reachable from other machines must be plain from the
/// command line (see ``isLoopback``).
struct ListenHost: Sendable, Equatable {
    enum Family: Sendable { case ipv4, ipv6 }

    let address: String
    let family: Family
    /// Reachable only from this machine: 127.0.0.0/8 or ::1.
    let isLoopback: Bool

    /// - Throws: ``DashboardConfigurationError`` when `text` is not an IP address or `localhost`.
    init(_ text: String) throws {
        var host = text
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" { host = "127.0.0.1" }
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        if inet_pton(AF_INET, host, &ipv4) == 1 {
            address = host
            family = .ipv4
            // s_addr is in network byte order: its first byte in memory is the first octet.
            isLoopback = withUnsafeBytes(of: &ipv4) { $0[0] == 127 }
        } else if inet_pton(AF_INET6, host, &ipv6) == 1 {
            address = host
            family = .ipv6
            isLoopback = withUnsafeBytes(of: &ipv6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        } else {
            throw DashboardConfigurationError("--host must be an IP address (such as 127.0.0.1 or ::1) or localhost, got '\(text)'")
        }
    }

    /// The socket address FlyingFox binds; port 0 lets the system pick a free port (tests).
    func socketAddress(port: UInt16) throws -> any SocketAddress {
        switch family {
        case .ipv4: return try sockaddr_in.inet(ip4: address, port: port)
        case .ipv6: return try sockaddr_in6.inet6(ip6: address, port: port)
        }
    }

    /// For messages and links: IPv6 in brackets.
    var urlHost: String { family == .ipv6 ? "[\(address)]" : address }
}
