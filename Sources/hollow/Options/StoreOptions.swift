import ArgumentParser
import Foundation
import Hollow
import HollowCore
import HollowEtcd
import HollowHTTPStore
import HollowS3
import Logging

/// Where a dataset is. `--store DIR`, the embedded default: a directory holding `blobs/` and
/// `announcements.jsonl`. `--etcd URLS` moves the announcement log (and the producers' election) to
/// etcd; `--blobs` reads the blobs from elsewhere: another directory, or the URL of an HTTP server
/// (nginx, a CDN) that serves a producer's blob directory (read-only, for consumers on other hosts).
/// A consumer on another host needs no directory at all: `--etcd URLS --blobs https://...`.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store directory (blobs/ and announcements.jsonl).", valueName: "dir"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("""
        etcd endpoints, comma-separated (http://host:2379): the announcement log and the producers' \
        election on etcd instead of files.
        """, valueName: "urls"))
    var etcd: String?

    @Option(name: .long, help: ArgumentHelp("With --etcd: the dataset's key prefix.", valueName: "prefix"))
    var etcdPrefix = "/hollow/default"

    @Option(name: .customLong("etcd-ca"), help: ArgumentHelp("With --etcd https://...: a PEM file of the certificate authorities that signed etcd's certificates.", valueName: "file"))
    var etcdCertificateAuthorities: String?

    @Option(name: .customLong("etcd-cert"), help: ArgumentHelp("With --etcd https://...: the client certificate (PEM) for an etcd with --client-cert-auth; needs --etcd-key.", valueName: "file"))
    var etcdClientCertificate: String?

    @Option(name: .customLong("etcd-key"), help: ArgumentHelp("The private key (PEM) of --etcd-cert.", valueName: "file"))
    var etcdClientKey: String?

    @Option(name: .customLong("etcd-user"), help: ArgumentHelp("""
        With --etcd: the etcd user, for an etcd with authentication on; the password comes from \
        --etcd-password-file or the environment variable HOLLOW_ETCD_PASSWORD, never the command line.
        """, valueName: "name"))
    var etcdUser: String?

    @Option(name: .customLong("etcd-password-file"), help: ArgumentHelp("The password of --etcd-user: a file holding it (one line).", valueName: "file"))
    var etcdPasswordFile: String?

    @Option(name: .customLong("etcd-keep-announcements"), help: ArgumentHelp("""
        With --etcd, for producers: keep only the last N announcements (and the pinned one) on etcd, \
        deleting older ones and compacting etcd's history after each announcement.
        """, valueName: "n"))
    var etcdKeepAnnouncements: Int?

    @Option(name: .long, help: ArgumentHelp("""
        Where the blobs are, instead of the store's blobs/: a directory; s3://BUCKET/PREFIX (region, endpoint \
        and credentials from AWS_REGION, AWS_ENDPOINT_URL, the AWS_* keys or ~/.aws/credentials, or \
        ?region=&endpoint= in the URL); or an http(s):// URL they are served from (read-only: for consumers).
        """, valueName: "dir-or-url"))
    var blobs: String?

    @Option(name: .customLong("blobs-header"), help: ArgumentHelp("With --blobs URL: a header sent with every request (repeatable).", valueName: "name: value"))
    var blobsHeaders: [String] = []

    @Option(name: .customLong("blobs-ca"), help: ArgumentHelp("With --blobs https://...: a PEM file of certificate authorities to trust.", valueName: "file"))
    var blobsCertificateAuthorities: String?

    /// The store directory, for what needs one (`what` says what, in the error).
    func storeDirectory(for what: String) throws -> String {
        guard let store else { throw ToolFailure(.usage, "\(what) needs --store DIR") }
        return store
    }

    var logFile: String? { store.map { ($0 as NSString).appendingPathComponent("announcements.jsonl") } }
    /// The lease of the store's elected producers (`produce --lease`).
    var leaseFile: String? { store.map { ($0 as NSString).appendingPathComponent("leader.lease") } }

    /// The etcd of `--etcd` (nil without it), with its TLS and user.
    func etcdConnection() throws -> EtcdConnection? {
        guard let etcd else {
            let strays = [("--etcd-ca", etcdCertificateAuthorities), ("--etcd-cert", etcdClientCertificate), ("--etcd-key", etcdClientKey),
                          ("--etcd-user", etcdUser), ("--etcd-password-file", etcdPasswordFile)].filter { $0.1 != nil }.map(\.0)
            if let first = strays.first { throw ToolFailure(.usage, "\(first) needs --etcd URLS") }
            return nil
        }
        let endpoints = etcd.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var configuration = EtcdConnection.Configuration(endpoints: endpoints)
        if etcdCertificateAuthorities != nil || etcdClientCertificate != nil || etcdClientKey != nil {
            configuration.tls = .init(certificateAuthorityFile: etcdCertificateAuthorities, clientCertificateFile: etcdClientCertificate,
                                      clientKeyFile: etcdClientKey)
        }
        configuration.credentials = try etcdCredentials()
        do {
            return try EtcdConnection(configuration: configuration, logger: ToolLogging.logger("etcd"))
        } catch {
            switch error {
            case .invalidEndpoint: throw ToolFailure(.usage, "--etcd \(etcd): \(error)")
            case .unreadableTLSFile: throw ToolFailure(.noInput, "\(error)", next: "check the paths given to --etcd-ca, --etcd-cert and --etcd-key")
            case .incompleteTLS: throw ToolFailure(.usage, "\(error)", next: "give both --etcd-cert FILE and --etcd-key FILE")
            }
        }
    }

    /// `--etcd-user` with its password from `--etcd-password-file` or `HOLLOW_ETCD_PASSWORD`.
    private func etcdCredentials() throws -> EtcdConnection.Credentials? {
        guard let user = etcdUser else {
            if etcdPasswordFile != nil { throw ToolFailure(.usage, "--etcd-password-file needs --etcd-user NAME") }
            return nil
        }
        if let file = etcdPasswordFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ToolFailure(.noInput, "--etcd-password-file \(file) cannot be read", next: "check the path and that this user may read it")
            }
            let password = text.trimmingCharacters(in: .newlines)
            guard !password.isEmpty else { throw ToolFailure(.usage, "--etcd-password-file \(file) is empty", next: "write the password of \(user) in it") }
            return .init(user: user, password: password)
        }
        if let password = ProcessInfo.processInfo.environment["HOLLOW_ETCD_PASSWORD"], !password.isEmpty {
            return .init(user: user, password: password)
        }
        throw ToolFailure(.usage, "--etcd-user \(user) needs a password",
                          next: "give --etcd-password-file FILE, or set HOLLOW_ETCD_PASSWORD (never on the command line)")
    }

    /// The announcement log: on etcd (fenced by the election's leader key), or the store's file,
    /// fenced by the store's lease: once producers of the store have been elected, a producer
    /// without `--lease` (term 0) cannot announce.
    private func announcementLog() throws -> any AnnouncementLog {
        if let connection = try etcdConnection() {
            if let keep = etcdKeepAnnouncements, keep < 1 {
                throw ToolFailure(.usage, "--etcd-keep-announcements \(keep): keep at least 1")
            }
            return EtcdAnnouncementLog(connection: connection, prefix: etcdPrefix,
                                       retention: etcdKeepAnnouncements.map { .init(keepingLast: $0, every: 1) },
                                       logger: ToolLogging.logger("etcd"))
        }
        guard let store, let logFile, let leaseFile else {
            throw ToolFailure(.usage, "give --store DIR, or --etcd URLS for a log on etcd (with --blobs for the blobs)")
        }
        do {
            return try FileSystemAnnouncementLog(file: logFile, fencedBy: try LeaseFile(path: leaseFile))
        } catch {
            throw ToolFailure(.cannotCreate, "opening the store \(store): \(error)")
        }
    }

    /// Runs `body` with the store of an existing directory, for a producer: the directory (or
    /// `--blobs` directory) must exist and be writable.
    func withStoreForWriting<Result>(_ body: (any BlobStore, any AnnouncementLog) async throws -> Result) async throws -> Result {
        if let store {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: store, isDirectory: &isDirectory) else {
                throw ToolFailure(.noInput, "the store directory \(store) does not exist (create it with `mkdir -p \(store)`)")
            }
            guard isDirectory.boolValue else { throw ToolFailure(.noInput, "\(store) is not a directory") }
            guard access(store, W_OK) == 0 else {
                throw ToolFailure(.cannotCreate, "the store directory \(store) cannot be written", next: "check its owner and mode (this user needs to write there)")
            }
        }
        let location = try blobLocation()
        if case .s3(let url) = location { return try await body(try s3Store(url), try announcementLog()) }
        guard case .directory(let directory) = location else {
            throw ToolFailure(.usage, "--blobs \(blobs ?? ""): a producer writes blobs to a directory (the one the HTTP server serves) or to s3://, not to an HTTP URL")
        }
        let blobStore: FileSystemBlobStore
        do { blobStore = try FileSystemBlobStore(directory: directory) } catch {
            throw ToolFailure(.cannotCreate, "opening the blob directory \(directory): \(error)")
        }
        return try await body(blobStore, try announcementLog())
    }

    /// Runs `body` with the store a producer wrote, for reading; connections are closed after it.
    func withStoreForReading<Result>(_ body: (any BlobStore, any AnnouncementLog) async throws -> Result) async throws -> Result {
        if let store, etcd == nil || blobs == nil {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: store, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ToolFailure(.noInput, "the store directory \(store) does not exist")
            }
            guard etcd != nil || FileManager.default.fileExists(atPath: logFile!) else {
                throw ToolFailure(.noInput, "\(store) holds no announcement log (announcements.jsonl)", next: "run `hollow produce` first")
            }
        }
        let log = try announcementLog()
        switch try blobLocation() {
        case .directory(let directory):
            let blobStore: FileSystemBlobStore
            do { blobStore = try FileSystemBlobStore(directory: directory, create: false) } catch {
                throw ToolFailure(.ioError, "opening the blob directory \(directory): \(error)")
            }
            return try await body(blobStore, log)
        case .s3(let url):
            return try await body(try s3Store(url), log)
        case .http(let url):
            let blobStore = try httpStore(url)
            do {
                let result = try await body(blobStore, log)
                try? await blobStore.shutdown()
                return result
            } catch {
                try? await blobStore.shutdown()
                throw error
            }
        }
    }

    /// A consumer of the store with `indexes`, brought to `version` (the wanted one — pinned or
    /// latest — when nil).
    func loadState(version: UInt64?, indexes: [IndexDefinition] = []) async throws -> ConsumerState {
        try await withStoreForReading { blobs, log in
            let consumer = Consumer(blobStore: blobs, announcementLog: log,
                                    configuration: .init(name: "hollow-cli", indexes: indexes), logger: ToolLogging.logger("consumer"))
            do {
                if let version { try await consumer.refresh(to: version) } else { try await consumer.refresh() }
            } catch {
                throw ToolFailure.from(error)
            }
            guard let state = consumer.current else {
                throw ToolFailure(.unavailable, "nothing has been announced yet", next: "run `hollow produce` first")
            }
            return state
        }
    }

    // MARK: Blobs

    private enum BlobLocation {
        case directory(String)
        case http(String)
        case s3(String)
    }

    private func blobLocation() throws -> BlobLocation {
        guard let blobs else {
            guard let store else { throw ToolFailure(.usage, "give --store DIR, or --blobs DIR-OR-URL (with --etcd URLS for the log)") }
            return .directory((store as NSString).appendingPathComponent("blobs"))
        }
        guard let scheme = blobs.range(of: "://").map({ blobs[..<$0.lowerBound].lowercased() }) else { return .directory(blobs) }
        switch scheme {
        case "http", "https": return .http(blobs)
        case "s3": return .s3(blobs)
        default: throw ToolFailure(.usage, "--blobs \(blobs): the scheme '\(scheme)' is not supported (a directory, s3://, http:// or https://)")
        }
    }

    private func s3Store(_ url: String) throws -> S3BlobStore {
        do { return try S3BlobStore(url: url, logger: ToolLogging.logger("s3")) } catch {
            throw ToolFailure(.usage, "--blobs \(url): \(error)")
        }
    }

    private func httpStore(_ url: String) throws -> HTTPBlobStore {
        var headers: [(name: String, value: String)] = []
        for header in blobsHeaders {
            guard let colon = header.firstIndex(of: ":") else { throw ToolFailure(.usage, "--blobs-header \(header): write NAME: VALUE") }
            headers.append((String(header[..<colon]).trimmingCharacters(in: .whitespaces),
                            String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        do {
            return try HTTPBlobStore(configuration: .init(baseURL: url, headers: headers, trustedCertificatesFile: blobsCertificateAuthorities),
                                     logger: ToolLogging.logger("blobs"))
        } catch {
            throw ToolFailure(.usage, "--blobs \(url): \(error)")
        }
    }
}
