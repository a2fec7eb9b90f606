import Foundation

/// Test hosts of the project's own: network namespaces, each joined to a bridge in the test's
/// namespace by a veth pair, so that a process run in one (`launcher`) reaches servers listening
/// on the bridge's address only through its own link, which the test can cut and restore.
/// Needs root (CI runs as root) and `ip` from iproute2.
///
/// Nothing may leave this machine: the addresses are link-local (169.254.X.0/24, never routed), and
/// a blackhole route for them is in place before any link comes up (should the bridge's route go,
/// traffic for them is dropped, not sent out of the default route). A cut changes no link and no
/// route: the host's port of the bridge stops forwarding, so that its packets go nowhere, in both
/// directions, as when a switch port fails.
final class TestNetwork: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The address of the bridge, where the servers listen.
    let hostAddress: String
    let hostCount: Int
    private let id: String
    private let subnet: String

    static var isAvailable: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: ip) && FileManager.default.isExecutableFile(atPath: bridgeTool)
    }
    private static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/ip"
    /// iproute2's `bridge`.
    private static let bridgeTool = ["/usr/sbin/bridge", "/sbin/bridge", "/usr/bin/bridge"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/bridge"

    /// A bridge with `hosts` namespaces, on a /24 of 169.254.0.0/16 chosen at random (not
    /// 169.254.169.0/24, where clouds keep their metadata services).
    init(hosts: Int) throws {
        precondition(hosts > 0 && hosts < 200)
        id = String(UInt32.random(in: 0..<0xFFFFF), radix: 16)
        // A /24 no other run holds: adding its blackhole route fails when one does.
        var chosen: String?
        for _ in 0..<20 {
            let candidate = "169.254.\([Int](1..<169).randomElement()!)"
            if (try? Self.run(["route", "add", "blackhole", candidate + ".0/24", "metric", "4000"])) != nil {
                chosen = candidate
                break
            }
        }
        guard let chosen else { throw Failure(description: "no free /24 of 169.254.0.0/16 for a test network in 20 tries") }
        subnet = chosen
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

    /// Cuts host `host` off: its port of the bridge stops forwarding (STP state disabled). Links
    /// and routes stay as they are; its packets, and those sent to it, are dropped: its open
    /// connections stay open and hear nothing until it is restored.
    func cut(_ host: Int) throws { try Self.run(["link", "set", "dev", hostSide(host), "state", "0"], tool: Self.bridgeTool) }

    /// The port forwards again (STP state forwarding).
    func restore(_ host: Int) throws { try Self.run(["link", "set", "dev", hostSide(host), "state", "3"], tool: Self.bridgeTool) }

    /// Deletes the namespaces (their veth pairs go with them), the bridge and the blackhole route.
    func remove() {
        for host in 0..<hostCount { try? Self.run(["netns", "delete", namespace(host)]) }
        try? Self.run(["link", "delete", bridge])
        try? Self.run(["route", "delete", "blackhole", subnet + ".0/24", "metric", "4000"])
    }

    private var bridge: String { "hb\(id)" }
    private func namespace(_ host: Int) -> String { "hollow-\(id)-\(host)" }
    private func hostSide(_ host: Int) -> String { "h\(id)v\(host)" }

    private static func run(_ arguments: [String], tool: String = ip) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")): \(String(decoding: said, as: UTF8.self))")
        }
    }
}
