import Foundation
@testable import HollowS3
import Testing

/// Where the store's key comes from: the environment, the shared credentials file and its
/// profiles, a chain of both, and code.
@Suite struct CredentialsTests {
    /// A credentials file in a directory of its own, removed afterwards.
    static func withCredentialsFile(_ text: String, _ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-s3-credentials-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/credentials"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try await body(path)
    }

    static let file = """
        # written by aws configure
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = default/secret+key=

        [hollow]
        AWS_ACCESS_KEY_ID=AKIAHOLLOW
        aws_secret_access_key =   hollow-secret\t
        aws_session_token = token==
        ; a comment
        [profile staging]
        aws_access_key_id = AKIASTAGING
        aws_secret_access_key = staging-secret
        s3 =
            max_concurrent_requests = 20

        [half]
        aws_access_key_id = AKIAHALF
        """

    @Test func theEnvironmentGivesAKeyAndItsToken() async throws {
        let provider = S3EnvironmentCredentialsProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
        ])
        #expect(try await provider.credentials() == S3Credentials(accessKeyID: "AKIAENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
    }

    @Test func anEmptyEnvironmentHasNoneAndHalfAKeyIsAnError() async throws {
        await #expect(throws: S3CredentialsError.notFound(["no AWS_ACCESS_KEY_ID in the environment"])) {
            try await S3EnvironmentCredentialsProvider(environment: [:]).credentials()
        }
        await #expect(throws: S3CredentialsError.incomplete(source: "the environment", missing: "AWS_SECRET_ACCESS_KEY")) {
            try await S3EnvironmentCredentialsProvider(environment: ["AWS_ACCESS_KEY_ID": "AKIA"]).credentials()
        }
    }

    @Test func theFilesProfilesAreReadByNameByAWSProfileOrAsDefault() async throws {
        try await Self.withCredentialsFile(Self.file) { path in
            let byDefault = S3SharedCredentialsFileProvider(environment: ["AWS_SHARED_CREDENTIALS_FILE": path])
            let fromDefault = try await byDefault.credentials()
            #expect(fromDefault == S3Credentials(accessKeyID: "AKIADEFAULT", secretAccessKey: "default/secret+key="))

            let byVariable = S3SharedCredentialsFileProvider(environment: ["AWS_SHARED_CREDENTIALS_FILE": path, "AWS_PROFILE": "hollow"])
            let fromVariable = try await byVariable.credentials()
            #expect(fromVariable == S3Credentials(accessKeyID: "AKIAHOLLOW", secretAccessKey: "hollow-secret", sessionToken: "token=="))

            // `[profile staging]` (the config file's spelling) is the profile "staging"; nested
            // settings are skipped.
            let byName = S3SharedCredentialsFileProvider(path: path, profile: "staging", environment: ["AWS_PROFILE": "hollow"])
            let fromName = try await byName.credentials()
            #expect(fromName == S3Credentials(accessKeyID: "AKIASTAGING", secretAccessKey: "staging-secret"))

            await #expect(throws: S3CredentialsError.incomplete(source: "profile [half] of \(path)", missing: "aws_secret_access_key")) {
                try await S3SharedCredentialsFileProvider(path: path, profile: "half", environment: [:]).credentials()
            }
            await #expect(throws: S3CredentialsError.notFound(["no profile [missing] in \(path)"])) {
                try await S3SharedCredentialsFileProvider(path: path, profile: "missing", environment: [:]).credentials()
            }
        }
    }

    @Test func theFileIsFoundUnderHomeAndAMissingOneIsNotAnError() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-s3-home-\(UUID().uuidString)").path
        let provider = S3SharedCredentialsFileProvider(environment: ["HOME": home])
        #expect(provider.resolvedPath(["HOME": home]) == home + "/.aws/credentials")
        await #expect(throws: S3CredentialsError.notFound(["no credentials file at \(home)/.aws/credentials"])) {
            try await provider.credentials()
        }
    }

    @Test func aMalformedLineIsReportedWithItsNumber() async throws {
        try await Self.withCredentialsFile("[default]\naws_access_key_id = AKIA\nthis line means nothing\n") { path in
            await #expect(throws: S3CredentialsError.malformed(path: path, line: 3, reason: "neither '[profile]' nor 'key = value'")) {
                try await S3SharedCredentialsFileProvider(path: path, environment: [:]).credentials()
            }
        }
        try await Self.withCredentialsFile("aws_access_key_id = AKIA\n") { path in
            await #expect(throws: S3CredentialsError.malformed(path: path, line: 1, reason: "a setting before any [profile] line")) {
                try await S3SharedCredentialsFileProvider(path: path, environment: [:]).credentials()
            }
        }
    }

    /// The environment first, then the file; a source with half a key stops the chain rather
    /// than letting another key be used silently.
    @Test func theChainTakesTheFirstSourceThatHasAKey() async throws {
        try await Self.withCredentialsFile(Self.file) { path in
            let fileOnly = ["AWS_SHARED_CREDENTIALS_FILE": path]
            func chain(_ environment: [String: String]) -> S3CredentialsProviderChain {
                .chain([S3EnvironmentCredentialsProvider(environment: environment), S3SharedCredentialsFileProvider(environment: environment)])
            }
            let fromFile = try await chain(fileOnly).credentials()
            #expect(fromFile.accessKeyID == "AKIADEFAULT")
            let both = fileOnly.merging(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"]) { $1 }
            let fromEnvironment = try await chain(both).credentials()
            #expect(fromEnvironment.accessKeyID == "AKIAENV")
            await #expect(throws: S3CredentialsError.incomplete(source: "the environment", missing: "AWS_SECRET_ACCESS_KEY")) {
                try await chain(fileOnly.merging(["AWS_ACCESS_KEY_ID": "AKIAENV"]) { $1 }).credentials()
            }
            let nowhere = ["HOME": "/nonexistent-hollow-home"]
            do throws(S3CredentialsError) {
                _ = try await chain(nowhere).credentials()
                Issue.record("credentials from nowhere")
            } catch {
                #expect(error == .notFound(["no AWS_ACCESS_KEY_ID in the environment", "no credentials file at /nonexistent-hollow-home/.aws/credentials"]))
                #expect(error.description.contains("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"))
            }
        }
    }

    @Test func credentialsGivenInCodeAndTheirDescriptionHidesTheSecret() async throws {
        let key = S3Credentials(accessKeyID: "AKIACODE", secretAccessKey: "very-secret", sessionToken: "token-secret")
        let provider: any S3CredentialsProvider = .static(key)
        #expect(try await provider.credentials() == key)
        #expect(!"\(key)".contains("very-secret") && !"\(key)".contains("token-secret"))
        #expect(!provider.description.contains("very-secret"))
    }
}
