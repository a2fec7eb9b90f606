/// The blobs of one cycle. They refer to the storage the write state built for the new state (for
/// `readBack(onto:)`): one kept after its cycle keeps that storage alive.
public struct CycleBlobs: Sendable {
    /// The id of the new state.
    public let stateID: UInt64
    /// The id of the state the delta starts from (0 for the first state).
    public let originStateID: UInt64
    /// The whole new state.
    public let snapshot: [UInt8]
    /// The change from the origin state to the new one; nil for the first state.
    public let delta: [UInt8]?
    /// The change from the new state back to the origin state; nil for the first state.
    public let reverseDelta: [UInt8]?
    /// Per type: records added and removed since the origin state, and records in the new state.
    public let changes: [String: TypeChangeSummary]
    /// The storage of every type of the new state as the writer holds it, and the storages of the
    /// snapshot in the order written: a read-back keeps these instead of copies (`readBack(onto:)`).
    /// A `CycleBlobs` kept after its cycle keeps that storage alive too.
    let written: [String: TypeData]
    let snapshotStorages: [BitStorage]
}
