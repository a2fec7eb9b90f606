/// The three kinds of blob.
public enum BlobKind: UInt8, Sendable, CustomStringConvertible {
    case snapshot = 1
    case delta = 2
    case reverseDelta = 3

    public var description: String {
        switch self {
        case .snapshot: "snapshot"
        case .delta: "delta"
        case .reverseDelta: "reverse delta"
        }
    }
}
