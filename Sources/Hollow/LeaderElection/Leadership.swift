/// One producer's hold on leadership. The term is a fencing token: it rises at every change of
/// leader, every announcement carries it, and a log that fences refuses a term that is not the
/// current one (<doc:LeaderAndStandbys>).
public struct Leadership: Sendable, Hashable, CustomStringConvertible {
    public var term: UInt64

    public init(term: UInt64) { self.term = term }

    public var description: String { "term \(term)" }
}
