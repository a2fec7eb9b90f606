/// How long each stage of a producer's cycle took, by the wall clock: where a slow cycle spends
/// its time. `Producer.lastCycleStages` after a cycle, the `announced` log line, and the timer
/// `hollow_producer_stage_duration{stage}`. Stages a cycle did not reach stay zero (an unchanged
/// dataset ends after `writingBlobs`).
public struct CycleStages: Sendable, Hashable {
    /// Leadership checked, the log read, the producer caught up with its latest version.
    public var preparing: Duration = .zero
    /// The caller's `populate` (or incremental changes): reading the sources, adding the records.
    public var populating: Duration = .zero
    /// Encoding the delta and reverse delta, and the snapshot when the cycle stores one, LZ4
    /// included.
    public var writingBlobs: Duration = .zero
    /// Putting the blobs in the blob store.
    public var storingBlobs: Duration = .zero
    /// Reading the new state back from the blobs, as a consumer will, and validating it.
    public var readingBack: Duration = .zero
    /// Checking leadership again and appending the announcement.
    public var announcing: Duration = .zero
    /// Deleting the blobs no retained version needs.
    public var cleaning: Duration = .zero

    public init() {}

    /// The stages in cycle order, with the names the log and the metrics use.
    public var named: [(name: String, duration: Duration)] {
        [("preparing", preparing), ("populating", populating), ("writing-blobs", writingBlobs), ("storing-blobs", storingBlobs),
         ("reading-back", readingBack), ("announcing", announcing), ("cleaning", cleaning)]
    }
}
