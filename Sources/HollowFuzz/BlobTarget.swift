import HollowCore

/// The blob reader's target: every input must end in a loaded state or a thrown `BlobError`. One
/// input loads the snapshot, applies each delta of a chain, and after every step walks the whole
/// state through the public read API and builds and queries indexes, so that a blob that loads but
/// whose values would send a later read out of bounds is caught too.
enum BlobTarget {
    /// The outcome of one input, for the replay tool.
    struct Outcome: CustomStringConvertible {
        /// States reached (the snapshot counts as one).
        var states = 0
        /// The error that stopped the input, if any.
        var error: BlobError?
        var checksum: UInt64 = 0

        var description: String {
            let reached = "\(states) state\(states == 1 ? "" : "s") loaded"
            guard let error else { return reached }
            return "\(reached), then refused: \(error)"
        }
    }

    static func run(_ data: UnsafeRawBufferPointer) -> Outcome {
        let input = FuzzInput(data)
        var outcome = Outcome()
        guard let first = input.blobs.first else { return outcome }
        do {
            var state = try ReadState(snapshot: input.mode.isRaw ? BlobFrame.wrap(first) : first)
            outcome.states += 1
            var indexes = StateIndexes(state)
            outcome.checksum &+= StateWalk.walk(state)
            outcome.checksum &+= indexes.check()
            for blob in input.blobs.dropFirst() {
                state = try state.applying(delta: input.mode.isRaw ? BlobFrame.wrap(blob) : blob)
                outcome.states += 1
                indexes = indexes.updated(to: state)
                outcome.checksum &+= StateWalk.walk(state)
                outcome.checksum &+= indexes.check()
            }
        } catch {
            outcome.error = error
        }
        return outcome
    }
}
