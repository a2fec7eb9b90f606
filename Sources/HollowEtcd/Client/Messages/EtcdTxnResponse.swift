/// What a transaction did: whether its comparisons held, and the answers of the branch it ran, in
/// the order of its operations.
package struct EtcdTxnResponse: Sendable, Hashable {
    package enum OpResponse: Sendable, Hashable {
        case put(EtcdResponseHeader)
        case range(EtcdRangeResponse)
        case delete(EtcdDeleteResponse)
    }

    package var header: EtcdResponseHeader
    package var succeeded: Bool
    package var responses: [OpResponse]

    package init(header: EtcdResponseHeader, succeeded: Bool, responses: [OpResponse]) {
        self.header = header
        self.succeeded = succeeded
        self.responses = responses
    }

    /// The answer of the range operation at `index` of the branch that ran (nil when that
    /// operation was not a range).
    package func range(at index: Int) -> EtcdRangeResponse? {
        guard responses.indices.contains(index), case .range(let range) = responses[index] else { return nil }
        return range
    }
}
