/// What must hold before a cycle's blobs are written: references point at records of the cycle,
/// and primary keys are unique.
extension WriteEngine {
    /// After records were removed one by one, every reference must still point at a record of the cycle.
    func checkReferences() throws(WriteError) {
        for (position, type) in schema.types.enumerated() {
            var failure: WriteError?
            states[position].current.forEach { ordinal in
                guard failure == nil, states[position].records.contains(ordinal) else { return }
                states[position].records.withContent(ordinal) { content in
                    RecordFields.forEachReference(content, schema: type) { field, target, referenced in
                        if failure == nil, !isCurrent(referenced, in: target) {
                            failure = .invalidReference(type: type.name, field: field, ordinal: referenced, target: target)
                        }
                    }
                }
            }
            if let failure { throw failure }
        }
    }

    /// Two different records of a type with a primary key may not share it.
    func checkPrimaryKeys() throws(WriteError) {
        for case .object(let object) in schema.types {
            guard let key = object.primaryKey else { continue }
            let paths: [[RecordFields.KeyStep]]
            do {
                paths = try key.map { (path) throws(SchemaError) in
                    try schema.resolve(path: path, from: object.name).map {
                        RecordFields.KeyStep(position: positions[$0.type.name]!, object: $0.type, fieldIndex: $0.fieldIndex)
                    }
                }
            } catch {
                throw .schema(error)
            }
            let position = positions[object.name]!
            // First the hash of every key, in ordinal order; then tight passes over tables of
            // (hash, owner) pairs, whose cache misses overlap; keys are compared in full only for
            // the pairs whose 64-bit hashes match.
            var ordinals: [Int] = []
            ordinals.reserveCapacity(states[position].current.count)
            states[position].current.forEach { ordinals.append($0) }
            let hashes = keyHashes(ordinals, paths: paths, position: position)
            var keyBytes: [UInt8] = []
            let matches = Self.hashMatches(hashes)
            var otherBytes: [UInt8] = []
            var failure: WriteError?
            for (later, earlier) in matches {
                keyBytes.removeAll(keepingCapacity: true)
                otherBytes.removeAll(keepingCapacity: true)
                for path in paths {
                    RecordFields.appendKeyBytes(path: path, from: ordinals[later], states: states, to: &keyBytes)
                    RecordFields.appendKeyBytes(path: path, from: ordinals[earlier], states: states, to: &otherBytes)
                }
                if keyBytes == otherBytes {
                    failure = .duplicatePrimaryKey(type: object.name, key: RecordFields.describeKey(paths: paths, ordinal: ordinals[later], states: states))
                    break
                }
            }
            if let failure { throw failure }
        }
    }
}

extension WriteEngine {
    /// The hash of the key of each of `ordinals` of the type at `position`. A key whose fields are
    /// all the type's own (no path through a reference) is read straight from the encodings, a
    /// part of the ordinals on each processor; any other key one step at a time.
    private func keyHashes(_ ordinals: [Int], paths: [[RecordFields.KeyStep]], position: Int) -> [UInt64] {
        var keyBytes: [UInt8] = []
        guard paths.allSatisfy({ $0.count == 1 && $0[0].position == position }) else {
            return ordinals.map { ordinal in
                keyBytes.removeAll(keepingCapacity: true)
                for path in paths { RecordFields.appendKeyBytes(path: path, from: ordinal, states: states, to: &keyBytes) }
                return keyBytes.withUnsafeBytes { RecordStore.hash($0) }
            }
        }
        // The fields' kinds one after another (`KeyStep.kinds`), and where each field's kinds end.
        let kinds = paths.flatMap { $0[0].kinds }
        var ends: [Int] = []
        for path in paths { ends.append((ends.last ?? 0) + path[0].kinds.count) }
        // A record kept in the committed state's storage has each key field read alone (its
        // kind the last of its path's), not its whole record made again.
        let fieldIndexes = paths.map { $0[0].fieldIndex }
        let lastKinds = paths.map { $0[0].kinds.last! }
        let store = states[position].records
        let partCount = ordinals.count >= 1 << 16 ? ParallelParts.processorCount : 1
        var hashes = [UInt64](repeating: 0, count: ordinals.count)
        hashes.withUnsafeMutableBufferPointer { hashes in
            ordinals.withUnsafeBufferPointer { ordinals in
                kinds.withUnsafeBufferPointer { kinds in
                    ends.withUnsafeBufferPointer { ends in
                        store.withContents { contents in
                            _ = ParallelParts.map(partCount) { part in
                                var key: [UInt8] = []
                                key.reserveCapacity(64)
                                var field = ArraySink()
                                for index in (ordinals.count * part / partCount)..<(ordinals.count * (part + 1) / partCount) {
                                    key.removeAll(keepingCapacity: true)
                                    guard contents.contains(ordinals[index]) else {  // no record: as `appendKeyBytes` says it
                                        key.append(contentsOf: repeatElement(0, count: ends.count))
                                        hashes[index] = key.withUnsafeBytes { RecordStore.hash($0) }
                                        continue
                                    }
                                    if contents.isStored(ordinals[index]) {
                                        for (position, fieldIndex) in fieldIndexes.enumerated() {
                                            field.bytes.removeAll(keepingCapacity: true)
                                            contents.writeStoredField(fieldIndex, of: ordinals[index], to: &field)
                                            withUnsafeBytes(of: lastKinds[position]) { kind in
                                                field.bytes.withUnsafeBytes { bytes in
                                                    RecordFields.appendKeyValue(RecordFields.value(bytes, kinds: kind.assumingMemoryBound(to: UInt8.self)), to: &key)
                                                }
                                            }
                                        }
                                        hashes[index] = key.withUnsafeBytes { RecordStore.hash($0) }
                                        continue
                                    }
                                    contents.withContent(ordinals[index]) { content in
                                        var start = 0
                                        for end in ends {
                                            let field = UnsafeBufferPointer(rebasing: kinds[start..<end])
                                            RecordFields.appendKeyValue(RecordFields.value(content, kinds: field), to: &key)
                                            start = end
                                        }
                                    }
                                    hashes[index] = key.withUnsafeBytes { RecordStore.hash($0) }
                                }
                            }
                        }
                    }
                }
            }
        }
        return hashes
    }
}

extension WriteEngine {
    /// Every pair of indexes of `hashes` whose hashes are equal (later, earlier), ascending, from
    /// tables of (hash, index) pairs at most half full. Past 65,536 hashes the hashes are split by
    /// their low bits into 2^`partBits` parts (by default as many as the processors, rounded down
    /// to a power of two), each part counting its own hashes, then placing them in a table of its
    /// own, so that the cache misses of a large table overlap on all processors.
    static func hashMatches(_ hashes: [UInt64], partBits: Int? = nil) -> [(later: Int, earlier: Int)] {
        var bitsOfParts = 0
        if let partBits {
            bitsOfParts = partBits
        } else if hashes.count >= 1 << 16 {
            while (2 << bitsOfParts) <= ParallelParts.processorCount { bitsOfParts += 1 }
        }
        let partMask = UInt64((1 << bitsOfParts) - 1)
        let found = hashes.withUnsafeBufferPointer { hashes in
            ParallelParts.map(1 << bitsOfParts) { part -> [(later: Int, earlier: Int)] in
                // The split is even only on average: each part's table is sized by its own count.
                var count = 0
                for hash in hashes where hash & partMask == UInt64(part) { count &+= 1 }
                var bits = 4
                while (1 << bits) < count * 2 { bits += 1 }
                let mask = (1 << bits) - 1
                // Per slot: the hash and the index (plus one; 0 is empty) in `hashes` of its key.
                var table = HugePages.array(repeating: KeySlot(hash: 0, index: 0), count: 1 << bits)
                var matches: [(later: Int, earlier: Int)] = []
                table.withUnsafeMutableBufferPointer { table in
                    for index in hashes.indices where hashes[index] & partMask == UInt64(part) {
                        let hash = hashes[index]
                        var slot = Int(truncatingIfNeeded: hash &>> UInt64(64 - bits))
                        while table[slot].index != 0 {
                            if table[slot].hash == hash { matches.append((index, table[slot].index - 1)) }
                            slot = (slot &+ 1) & mask
                        }
                        table[slot] = KeySlot(hash: hash, index: index + 1)
                    }
                }
                return matches
            }
        }
        return found.joined().sorted { $0.later != $1.later ? $0.later < $1.later : $0.earlier < $1.earlier }
    }
}

/// A slot of the primary-key check's table.
private struct KeySlot: BitwiseCopyable {
    var hash: UInt64
    var index: Int
}
