/// What a transaction did: whether its comparisons held, and the answers of the branch it ran, in
/// the order of its operations.
public struct EtcdTxnResponse: Sendable, Hashable {
    public enum OpResponse: Sendable, Hashable {
        case put(EtcdResponseHeader)
        case range(EtcdRangeResponse)
        case delete(EtcdDeleteResponse)
    }

    public var header: EtcdResponseHeader
    public var succeeded: Bool
    public var responses: [OpResponse]

    public init(header: EtcdResponseHeader, succeeded: Bool, responses: [OpResponse]) {
        self.header = header
        self.succeeded = succeeded
        self.responses = responses
    }

    /// The answer of the range operation at `index` of the branch that ran (nil when that
    /// operation was not a range).
    public func range(at index: Int) -> EtcdRangeResponse? {
        guard responses.indices.contains(index), case .range(let range) = responses[index] else { return nil }
        return range
    }
}
