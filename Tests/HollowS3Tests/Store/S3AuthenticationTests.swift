import Foundation
import Hollow
@testable import HollowS3
import HollowS3Testing
import Testing

/// Against a server that checks signatures and permissions as S3 does (moto with its IAM checks
/// on, verifying each signature with botocore's own signer): the store's signatures are
/// accepted, for path-style and virtual-hosted requests, single and multipart puts, gets, heads
/// and deletes; a wrong secret, an unknown key and a missing permission are refused with errors
/// that say so.
@Suite struct S3AuthenticationTests {
    @Test func signaturesAreCheckedAndRefusalsSayWhatToFix() async throws {
        try await MotoServer.with(authenticated: true) { moto in
            let bucket = uniqueBucket("auth")
            try await moto.createBucket(bucket)
            let store = try moto.store(bucket: bucket, prefix: "signed/catalog") { configuration in
                configuration.multipartThreshold = S3BlobStore.Configuration.minimumPartSize
                configuration.partSize = S3BlobStore.Configuration.minimumPartSize
            }
            let small = randomBytes(100, seed: 31)
            let large = randomBytes(S3BlobStore.Configuration.minimumPartSize + 1, seed: 32)
            try await store.put(blob("snapshot-1"), small)
            try await store.put(blob("snapshot-2"), large)
            #expect(try await store.get(blob("snapshot-1"), expectedSize: small.count) == small)
            #expect(try await store.get(blob("snapshot-2"), expectedSize: large.count) == large)
            // No listing here: moto decodes a query before it recomputes the signature, so a
            // listing (delimiter=%2F) is refused even when AWS's own SDK signs it (docs/S3.md).
            try await store.delete(blob("snapshot-1"))
            await #expect(throws: BlobStoreError.notFound(blob("snapshot-1"))) { try await store.get(blob("snapshot-1")) }

            // Virtual-hosted: the signature covers the bucket's host name.
            var virtual = moto.configuration(bucket: bucket, prefix: "signed/catalog")
            virtual.endpoint = "http://localhost:\(moto.port)"
            virtual.addressing = .virtualHosted
            let virtualStore = try S3BlobStore(configuration: virtual, httpClient: S3Client.sharedHTTPClient,
                                               connectingTo: try ServiceEndpoint(parsing: moto.endpoint), logger: quiet)
            #expect(try await virtualStore.get(blob("snapshot-2")) == large)

            func refusal(_ credentials: S3Credentials, _ call: (S3BlobStore) async throws -> Void) async -> String {
                var configuration = moto.configuration(bucket: bucket, prefix: "signed/catalog")
                configuration.credentials = .static(credentials)
                do {
                    try await call(try S3BlobStore(configuration: configuration, logger: quiet))
                    return "accepted"
                } catch let error as BlobStoreError {
                    guard case .unavailable(let message) = error else { return "\(error)" }
                    return message
                } catch {
                    return "\(error)"
                }
            }
            let admin = moto.credentials
            let wrongSecret = await refusal(S3Credentials(accessKeyID: admin.accessKeyID, secretAccessKey: "not-the-secret")) {
                _ = try await $0.get(blob("snapshot-2"))
            }
            #expect(wrongSecret.contains("access denied") && wrongSecret.contains("SignatureDoesNotMatch"), "\(wrongSecret)")
            #expect(wrongSecret.contains("check the credentials") && wrongSecret.contains(admin.accessKeyID), "\(wrongSecret)")

            let unknownKey = await refusal(S3Credentials(accessKeyID: "AKIAUNKNOWN000000000", secretAccessKey: "x")) {
                _ = try await $0.get(blob("snapshot-2"))
            }
            #expect(unknownKey.contains("InvalidAccessKeyId"), "\(unknownKey)")

            // A key rotated in the credentials file is read again after S3 refused the old one:
            // the same store works once the file has the right secret.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-s3-rotate-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            func writeCredentials(secret: String) throws {
                try "[default]\naws_access_key_id = \(admin.accessKeyID)\naws_secret_access_key = \(secret)\n"
                    .write(toFile: directory + "/credentials", atomically: true, encoding: .utf8)
            }
            try writeCredentials(secret: "an-old-secret")
            var rotating = moto.configuration(bucket: bucket, prefix: "signed/catalog")
            rotating.credentials = .sharedCredentialsFile(path: directory + "/credentials")
            let rotatingStore = try S3BlobStore(configuration: rotating, logger: quiet)
            await #expect(throws: BlobStoreError.self) { try await rotatingStore.get(blob("snapshot-2")) }
            try writeCredentials(secret: admin.secretAccessKey)
            #expect(try await rotatingStore.get(blob("snapshot-2")) == large)

            // A reader may get but not put.
            let reader = try await moto.createUser("reader", allowing: ["s3:GetObject"])
            let read = await refusal(reader) { store in
                let bytes = try await store.get(blob("snapshot-2"))
                #expect(bytes == large)
            }
            #expect(read == "accepted")
            let put = await refusal(reader) { try await $0.put(blob("snapshot-3"), [1]) }
            #expect(put.contains("access denied to PutObject") && put.contains("s3:PutObject"), "\(put)")
        }
    }
}
