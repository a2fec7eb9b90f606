@testable import HollowS3
import Testing

/// Addresses, names and settings are checked when a store is made, before any request.
@Suite struct ConfigurationTests {
    typealias Configuration = S3BlobStore.Configuration

    @Test func anAddressGivesTheBucketThePrefixAndTheEnvironmentTheRest() throws {
        let plain = try Configuration(url: "s3://hollow-blobs/catalog/prod/", environment: [:])
        #expect(plain.bucket == "hollow-blobs")
        #expect(plain.prefix == "catalog/prod/")
        #expect(plain.region == "us-east-1")
        #expect(plain.endpoint == nil)
        #expect(plain.url == "s3://hollow-blobs/catalog/prod")

        let fromEnvironment = try Configuration(url: "s3://hollow-blobs", environment: [
            "AWS_REGION": "eu-west-3", "AWS_DEFAULT_REGION": "us-west-2", "AWS_ENDPOINT_URL": "http://127.0.0.1:9000",
        ])
        #expect(fromEnvironment.region == "eu-west-3")
        #expect(fromEnvironment.endpoint == "http://127.0.0.1:9000")
        #expect(fromEnvironment.url == "s3://hollow-blobs")

        let given = try Configuration(url: "s3://hollow-blobs/a?region=ap-south-1&endpoint=https://minio.internal:9000&addressing=path",
                                      environment: ["AWS_REGION": "eu-west-3", "AWS_ENDPOINT_URL_S3": "http://elsewhere:1"])
        #expect(given.region == "ap-south-1")
        #expect(given.endpoint == "https://minio.internal:9000")
        #expect(given.addressing == .path)
    }

    @Test func anAddressNamesACredentialsFileAndProfileButNeverKeys() async throws {
        try await CredentialsTests.withCredentialsFile(CredentialsTests.file) { file in
            let both = try Configuration(url: "s3://hollow-blobs/p?profile=hollow&credentials=\(file)", environment: [:])
            #expect(try await both.credentials.credentials().accessKeyID == "AKIAHOLLOW")
            let fileOnly = try Configuration(url: "s3://hollow-blobs?credentials=\(file)", environment: ["AWS_PROFILE": "hollow"])
            #expect(try await fileOnly.credentials.credentials().accessKeyID == "AKIAHOLLOW")
            let profileOnly = try Configuration(url: "s3://hollow-blobs?profile=default", environment: ["AWS_SHARED_CREDENTIALS_FILE": file])
            #expect(try await profileOnly.credentials.credentials().accessKeyID == "AKIADEFAULT")
            // A profile the file does not have is an error naming it, never another profile's keys.
            let missing = try Configuration(url: "s3://hollow-blobs?profile=absent&credentials=\(file)", environment: [:])
            await #expect(throws: S3CredentialsError.notFound(["no profile [absent] in \(file)"])) {
                _ = try await missing.credentials.credentials()
            }
        }
        // Keys are no parameter of an address.
        #expect(throws: S3BlobStore.ConfigurationError.self) {
            _ = try Configuration(url: "s3://hollow-blobs?aws_secret_access_key=x", environment: [:])
        }
    }

    @Test(arguments: [
        ("hollow-blobs", nil as String?),
        ("ab", "3 to 63"),
        ("Hollow", "only lower-case"),
        ("-hollow", "begin and end"),
        ("hollow..blobs", "next to another"),
        ("192.168.1.2", "IP address"),
        ("xn--hollow", "reserved"),
        ("hollow-s3alias", "reserved"),
        ("hollow_blobs", "only lower-case"),
    ])
    func bucketNamesFollowS3sRules(bucket: String, problem: String?) {
        do {
            _ = try Configuration(bucket: bucket).validated()
            #expect(problem == nil, "\(bucket) was taken")
        } catch {
            guard case .invalidBucket(let name, let reason) = error, let problem else { Issue.record("\(bucket): \(error)"); return }
            #expect(name == bucket)
            #expect(reason.contains(problem), "\(reason)")
        }
    }

    @Test func badAddressesPrefixesEndpointsAndSettingsAreRefused() {
        func problem(_ make: () throws -> Void) -> S3BlobStore.ConfigurationError? {
            do { try make(); return nil } catch let error as S3BlobStore.ConfigurationError { return error } catch {
                Issue.record("not a configuration error: \(error)")
                return nil
            }
        }
        #expect(problem { _ = try Configuration(url: "https://bucket/x", environment: [:]) }.map { "\($0)" }?.contains("s3://") == true)
        #expect(problem { _ = try Configuration(url: "s3:///prefix", environment: [:]) } == .invalidURL("s3:///prefix", reason: "it names no bucket"))
        #expect(problem { _ = try Configuration(url: "s3://bucket?regoin=x", environment: [:]) } != nil)
        #expect(problem { _ = try Configuration(url: "s3://bucket?addressing=sideways", environment: [:]) } != nil)
        #expect(problem { _ = try Configuration(bucket: "bucket", prefix: "a//b").validated() } == .invalidPrefix("a//b", reason: "it has an empty segment ('//')"))
        #expect(problem { _ = try Configuration(bucket: "bucket", prefix: "a/../b").validated() } != nil)
        #expect(problem { _ = try Configuration(bucket: "bucket", prefix: "a b").validated() } != nil)
        #expect(problem { _ = try Configuration(bucket: "bucket", region: "us east").validated() } != nil)
        #expect(problem { _ = try Configuration(bucket: "bucket", endpoint: "127.0.0.1:9000").validated() }.map { "\($0)" }?.contains("no scheme") == true)
        #expect(problem { _ = try Configuration(bucket: "bucket", endpoint: "http://127.0.0.1:99999").validated() } != nil)
        #expect(problem { _ = try Configuration(bucket: "bucket", endpoint: "http://host:9000/path").validated() } != nil)
        // The bucket cannot go in front of an IP address.
        #expect(problem { _ = try Configuration(bucket: "bucket", endpoint: "http://127.0.0.1:9000", addressing: .virtualHosted).validated() } != nil)
        #expect(problem { _ = try Configuration(bucket: "bucket.with.dots", addressing: .virtualHosted).validated() } != nil)
        #expect(problem { _ = try Configuration(bucket: "bucket", partSize: 1 << 20).validated() }.map { "\($0)" }?.contains("5 MiB") == true)
        #expect(problem { _ = try Configuration(bucket: "bucket", parallelParts: 0).validated() } != nil)
        #expect(problem { _ = try Configuration(bucket: "bucket", attempts: 0).validated() } != nil)
    }

    @Test func automaticAddressingIsVirtualHostedOnAWSAndPathStyleElsewhere() throws {
        let aws = try Configuration(bucket: "hollow-blobs", prefix: "catalog", region: "eu-west-1").validated()
        #expect(aws.style == .virtualHosted)
        #expect(aws.origin == "https://hollow-blobs.s3.eu-west-1.amazonaws.com")
        #expect(aws.path(forKey: "catalog/delta-1") == "/catalog/delta-1")
        #expect(aws.path(forKey: nil) == "/")

        let dotted = try Configuration(bucket: "hollow.blobs", region: "eu-west-1").validated()
        #expect(dotted.style == .path)
        #expect(dotted.origin == "https://s3.eu-west-1.amazonaws.com")
        #expect(dotted.path(forKey: "k") == "/hollow.blobs/k")

        let china = try Configuration(bucket: "hollow-blobs", region: "cn-north-1").validated()
        #expect(china.origin == "https://hollow-blobs.s3.cn-north-1.amazonaws.com.cn")

        let local = try Configuration(bucket: "hollow-blobs", endpoint: "http://localhost:9000").validated()
        #expect(local.style == .path)
        #expect(local.hostHeader == "localhost:9000")
        #expect(local.path(forKey: nil) == "/hollow-blobs")

        let virtual = try Configuration(bucket: "hollow-blobs", endpoint: "http://localhost:9000", addressing: .virtualHosted).validated()
        #expect(virtual.hostHeader == "hollow-blobs.localhost:9000")
    }

    @Test func theRetryBudgetCountsEveryTryAndPause() {
        let configuration = Configuration(bucket: "bucket", requestTimeout: .seconds(2), attempts: 3,
                                          backoff: .init(initial: .milliseconds(100), maximum: .milliseconds(150)))
        #expect(configuration.retryBudget == .seconds(6) + .milliseconds(250))
    }
}
