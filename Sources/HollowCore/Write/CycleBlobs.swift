import Synchronization

/// The blobs of one cycle. They refer to the storage the write state built for the new state (for
/// the snapshot, written when first asked for, and for `readBack(onto:)`): one kept after its
/// cycle keeps that storage alive.
public struct CycleBlobs: Sendable {
    /// The id of the new state.
    public let stateID: UInt64
    /// The id of the state the delta starts from (0 for the first state).
    public let originStateID: UInt64
    /// The whole new state. Written (encoded and compressed) when first asked for: a producer that
    /// stores a snapshot only every few cycles does not pay for it in the others.
    public var snapshot: [UInt8] { lazySnapshot.written.bytes }
    /// The change from the origin state to the new one; nil for the first state.
    public let delta: [UInt8]?
    /// The change from the new state back to the origin state; nil for the first state.
    public let reverseDelta: [UInt8]?
    /// Per type: records added and removed since the origin state, and records in the new state.
    public let changes: [String: TypeChangeSummary]
    /// The storage of every type of the new state as the writer holds it: a read-back keeps it
    /// instead of copies (`readBack(onto:)`).
    let written: [String: TypeData]
    let lazySnapshot: LazySnapshot

    /// The storages of the snapshot in the order written (`WrittenStorages`).
    var snapshotStorages: [BitStorage] { lazySnapshot.written.storages }
}

/// A snapshot blob written when first asked for, from storage that never changes once built.
final class LazySnapshot: Sendable {
    private let header: BlobHeader
    private let sections: [(name: String, section: BlobWriter.Section)]
    private let blob = Mutex<(bytes: [UInt8], storages: [BitStorage])?>(nil)

    init(header: BlobHeader, sections: [(name: String, section: BlobWriter.Section)]) {
        self.header = header
        self.sections = sections
    }

    /// The blob and the storages it holds, written on the first call.
    var written: (bytes: [UInt8], storages: [BitStorage]) {
        blob.withLock { blob in
            if let blob { return blob }
            var storages: [BitStorage]? = []
            let bytes = BlobWriter.write(header, sections: sections, recording: &storages)
            blob = (bytes, storages ?? [])
            return blob!
        }
    }
}
