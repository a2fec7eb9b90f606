import Foundation
import Hollow
@testable import HollowS3
import HollowS3Testing
import Logging

/// Tests log nothing: failures they provoke on purpose would flood the output.
let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A bucket name no other test uses.
func uniqueBucket(_ name: String = "t") -> String { "hollow-\(name)-\(UUID().uuidString.prefix(8).lowercased())" }

func blob(_ text: String) -> BlobName { try! BlobName(text) }

/// Bytes that differ from seed to seed (SplitMix64).
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 8)
    while bytes.count < count {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        withUnsafeBytes(of: z) { bytes += $0 }
    }
    return Array(bytes.prefix(count))
}

extension MotoServer {
    /// A store on `bucket` of this server, with the server's short timeouts, changed by `adjust`.
    func store(bucket: String, prefix: String = "", _ adjust: (inout S3BlobStore.Configuration) -> Void = { _ in }) throws -> S3BlobStore {
        var configuration = configuration(bucket: bucket, prefix: prefix)
        adjust(&configuration)
        return try S3BlobStore(configuration: configuration, logger: quiet)
    }

    /// A new bucket on this server, and a store on it.
    func newStore(_ name: String = "t", prefix: String = "", _ adjust: (inout S3BlobStore.Configuration) -> Void = { _ in }) async throws -> S3BlobStore {
        let bucket = uniqueBucket(name)
        try await createBucket(bucket)
        return try store(bucket: bucket, prefix: prefix, adjust)
    }
}

/// Waits until `condition` holds, checking every `pause`, for at most `timeout`.
func eventually(within timeout: Duration = .seconds(60), pause: Duration = .milliseconds(5),
                _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: pause)
    }
    return try await condition()
}

/// Established TCP connections from this machine to `port` on 127.0.0.1, from /proc/net/tcp:
/// requests in flight to a server that is frozen.
func establishedConnections(toPort port: Int) -> Int {
    guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return 0 }
    let remote = String(format: "0100007F:%04X", port)
    return table.split(separator: "\n").dropFirst().filter { line in
        let fields = line.split(separator: " ")
        return fields.count > 3 && fields[2] == remote && fields[3] == "01"
    }.count
}
