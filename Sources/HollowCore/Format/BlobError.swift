/// Why a blob was refused. Every decoding path reports one of these instead of crashing; the text
/// says what was wrong and where. <doc:BlobFormat> lists what a reader checks.
public enum BlobError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The LZ4 frame is damaged or its checksum does not match.
    case compression(String)
    /// The blob ends before a structure it declares.
    case truncated(String)
    /// A value is out of range or inconsistent with the rest of the blob.
    case corrupt(String)
    /// The blob is not one of ours, or of a format version this build cannot read.
    case unsupportedFormat(String)
    /// The blob is of another kind than the caller asked for (a delta passed as a snapshot, say).
    case wrongKind(expected: BlobKind, found: BlobKind)
    /// A delta made from another state than the one it is applied to.
    case stateMismatch(expectedOrigin: UInt64, actualState: UInt64)
    /// The blob's schema is malformed, or changes a type in a way a delta cannot carry.
    case schema(SchemaError)

    public var description: String {
        switch self {
        case .compression(let what): "blob compression error: \(what)"
        case .truncated(let what): "truncated blob: \(what)"
        case .corrupt(let what): "corrupt blob: \(what)"
        case .unsupportedFormat(let what): "unsupported blob: \(what)"
        case .wrongKind(let expected, let found): "expected a \(expected) blob, found a \(found) blob"
        case .stateMismatch(let origin, let state):
            "the delta was made from state \(StateID.text(origin)), this state is \(StateID.text(state))"
        case .schema(let error): "blob schema: \(error)"
        }
    }
}
