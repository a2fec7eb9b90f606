import Logging

/// The etcd a dataset's announcement log and leader election live on: its endpoints and how long
/// to wait for them. Build one per etcd cluster and share it between the `EtcdAnnouncementLog` and
/// the `EtcdLeaderElection` of a dataset (and of other datasets on the same cluster).
///
///     let etcd = try EtcdConnection(endpoints: ["http://etcd-1:2379", "http://etcd-2:2379"])
///     let election = EtcdLeaderElection(connection: etcd, prefix: "/hollow/catalog", participantID: "producer-a")
///     let log = EtcdAnnouncementLog(connection: etcd, prefix: "/hollow/catalog")
///
/// Requests go over async-http-client's process-wide `HTTPClient.shared` and watch streams over a
/// process-wide client of their own (each open watch holds a connection), so a connection holds
/// nothing that needs shutting down. The etcd client behind it is internal to this package: the
/// product offers the log and the election, not a general etcd client.
public final class EtcdConnection: Sendable {
    /// The etcd client the log and the election send their requests with.
    package let client: EtcdClient

    /// A connection to the etcd at `configuration.endpoints`; `logger` gets the client's debug
    /// messages (retries, failed attempts).
    public init(configuration: Configuration, logger: Logger = Logger(label: "hollow.etcd")) throws(ConfigurationError) {
        client = try EtcdClient(configuration: configuration, logger: logger)
    }

    /// A connection to the etcd at `endpoints` with the default timeouts and retries.
    public convenience init(endpoints: [String], logger: Logger = Logger(label: "hollow.etcd")) throws(ConfigurationError) {
        try self.init(configuration: Configuration(endpoints: endpoints), logger: logger)
    }

    /// A connection over an existing client (tests share one between raw requests and the log).
    package init(client: EtcdClient) {
        self.client = client
    }

    /// Where etcd is and how long to wait for it, as given.
    public var configuration: Configuration { client.configuration }
}
