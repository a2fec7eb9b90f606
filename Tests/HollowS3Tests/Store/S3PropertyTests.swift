import Hollow
@testable import HollowS3
import HollowS3Testing
import PropertyBased
import Testing

/// Whatever the bytes and the name, a blob comes back as it was put.
@Suite struct S3PropertyTests {
    static let nameCharacters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")

    /// A valid blob name of 1 to 200 characters drawn from `seed` (never starting with '.').
    static func name(seed: UInt64) -> BlobName {
        let bytes = randomBytes(201, seed: seed)
        let length = Int(bytes[0]) % 200 + 1
        var text = String(bytes[1...length].map { nameCharacters[Int($0) % nameCharacters.count] })
        if text.hasPrefix(".") { text = "x" + text.dropFirst() }
        return try! BlobName(text)
    }

    @Test func blobsRoundTripWhateverTheirBytesAndNames() async throws {
        let moto = try await MotoServer.shared()
        let store = try await moto.newStore("property", prefix: "p")
        await propertyCheck(count: 30, input: Gen.int(in: 0...70_000), Gen.uint64()) { size, seed in
            let name = Self.name(seed: seed)
            let bytes = randomBytes(size, seed: seed &+ 1)
            try await store.put(name, bytes)
            #expect(try await store.get(name) == bytes)
            #expect(try await store.get(name, expectedSize: size) == bytes)
            #expect(try await store.list().contains(name))
            try await store.delete(name)
            #expect(try await !store.list().contains(name))
        }
    }
}
