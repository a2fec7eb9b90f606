import Foundation

/// Test hosts of the project's own: network namespaces, each joined to a bridge in the test's
/// namespace by a veth pair, so that a process run in one (`launcher`) reaches servers listening
/// on the bridge's address only through its own link, which the test can cut and restore.
/// Needs root (CI runs as root) and `ip` from iproute2.
final class TestNetwork: @unchecked Sendable {  // used by one test at a time
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The address of the bridge, where the servers listen.
    let hostAddress: String
    let hostCount: Int
    private let id: String
    private let subnet: String

    static var isAvailable: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: ip) }
    private static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/ip"

    /// A bridge with `hosts` namespaces on a /24 of 10.213.0.0/16 chosen at random.
    init(hosts: Int) throws {
        precondition(hosts > 0 && hosts < 200)
        id = String(UInt32.random(in: 0..<0xFFFFF), radix: 16)
        subnet = "10.213.\(Int.random(in: 1..<255))"
        hostAddress = subnet + ".1"
        hostCount = hosts
        do {
            try Self.run(["link", "add", bridge, "type", "bridge"])
            try Self.run(["addr", "add", hostAddress + "/24", "dev", bridge])
            try Self.run(["link", "set", bridge, "up"])
            for host in 0..<hosts {
                try Self.run(["netns", "add", namespace(host)])
                try Self.run(["link", "add", hostSide(host), "type", "veth", "peer", "name", "h\(id)n\(host)"])
                try Self.run(["link", "set", "h\(id)n\(host)", "netns", namespace(host), "name", "eth0"])
                try Self.run(["link", "set", hostSide(host), "master", bridge])
                try Self.run(["link", "set", hostSide(host), "up"])
                try Self.run(["-n", namespace(host), "addr", "add", address(host) + "/24", "dev", "eth0"])
                try Self.run(["-n", namespace(host), "link", "set", "eth0", "up"])
                try Self.run(["-n", namespace(host), "link", "set", "lo", "up"])
            }
        } catch {
            remove()
            throw error
        }
    }

    /// Runs a program in host `host`'s namespace: put before its command line.
    func launcher(_ host: Int) -> [String] { [Self.ip, "netns", "exec", namespace(host)] }

    func address(_ host: Int) -> String { "\(subnet).\(host + 2)" }

    /// Cuts host `host`'s link: its packets go nowhere, as when a cable or a switch fails; its
    /// connections stay open and time out.
    func cut(_ host: Int) throws { try Self.run(["link", "set", hostSide(host), "down"]) }

    func restore(_ host: Int) throws { try Self.run(["link", "set", hostSide(host), "up"]) }

    /// Deletes the namespaces (their veth pairs go with them) and the bridge.
    func remove() {
        for host in 0..<hostCount { try? Self.run(["netns", "delete", namespace(host)]) }
        try? Self.run(["link", "delete", bridge])
    }

    private var bridge: String { "hb\(id)" }
    private func namespace(_ host: Int) -> String { "hollow-\(id)-\(host)" }
    private func hostSide(_ host: Int) -> String { "h\(id)v\(host)" }

    private static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ip)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "ip \(arguments.joined(separator: " ")): \(String(decoding: said, as: UTF8.self))")
        }
    }
}
