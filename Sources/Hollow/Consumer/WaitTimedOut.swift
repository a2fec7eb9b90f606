/// A wait for a version that ran out: what was awaited, and what was seen last.
public struct WaitTimedOut: Error, Sendable, CustomStringConvertible {
    public var awaited: String
    public var lastSeen: String
    public var timeout: Duration

    public var description: String { "waited \(timeout) for \(awaited); last seen: \(lastSeen)" }
}
