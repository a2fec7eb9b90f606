import Hollow

/// An announcement with just the fields the log looks at.
func announcement(_ version: UInt64, term: UInt64 = 1, producer: String = "p") -> Announcement {
    Announcement(version: version, previousVersion: version > 1 ? version - 1 : nil, stateID: version &* 31,
                 previousStateID: nil, snapshot: nil, delta: nil, reverseDelta: nil, term: term,
                 producerID: producer, timestampMilliseconds: 1_700_000_000_000 + Int64(version))
}
