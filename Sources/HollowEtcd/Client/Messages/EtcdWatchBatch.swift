/// One answer of a watch stream: the events it carries, with the store's revision when it was sent.
package struct EtcdWatchBatch: Sendable, Hashable {
    package var revision: Int64
    /// True for the stream's first answer: etcd confirms that the watch is in place (no events;
    /// `revision` is the store's revision then, and every later change comes as an event).
    package var created: Bool
    package var events: [EtcdWatchEvent]

    package init(revision: Int64, created: Bool = false, events: [EtcdWatchEvent]) {
        self.revision = revision
        self.created = created
        self.events = events
    }
}
