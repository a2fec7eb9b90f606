/// The first of its providers that has credentials. A provider that has none (`notFound`) passes
/// to the next; one whose source is broken (a key without its secret, an unreadable or malformed
/// file) stops the chain, so that a mistake is reported rather than another key silently used.
public struct S3CredentialsProviderChain: S3CredentialsProvider {
    public let providers: [any S3CredentialsProvider]

    public init(_ providers: [any S3CredentialsProvider]) {
        self.providers = providers
    }

    public func credentials() async throws(S3CredentialsError) -> S3Credentials {
        var places: [String] = []
        for provider in providers {
            do { return try await provider.credentials() } catch {
                guard case .notFound(let looked) = error else { throw error }
                places += looked
            }
        }
        throw .notFound(places)
    }

    public var description: String { providers.map(\.description).joined(separator: ", then ") }
}
