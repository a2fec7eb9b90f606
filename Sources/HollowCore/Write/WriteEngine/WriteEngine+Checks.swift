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
            // First the hash of every key, in ordinal order; then one tight pass over a table of
            // (hash, owner) pairs, whose cache misses overlap; keys are compared in full only for
            // the pairs whose 64-bit hashes match.
            var ordinals: [Int] = []
            var hashes: [UInt64] = []
            ordinals.reserveCapacity(states[position].current.count)
            hashes.reserveCapacity(states[position].current.count)
            var keyBytes: [UInt8] = []
            states[position].current.forEach { ordinal in
                keyBytes.removeAll(keepingCapacity: true)
                for path in paths {
                    RecordFields.appendKeyBytes(path: path, from: ordinal, states: states, to: &keyBytes)
                }
                ordinals.append(ordinal)
                hashes.append(keyBytes.withUnsafeBytes { RecordStore.hash($0) })
            }
            var bits = 4
            while (1 << bits) < ordinals.count * 2 { bits += 1 }
            let mask = (1 << bits) - 1
            // Per slot: the hash and the index (plus one; 0 is empty) in `ordinals` of its key.
            var table = HugePages.array(repeating: KeySlot(hash: 0, index: 0), count: 1 << bits)
            var matches: [(later: Int, earlier: Int)] = []
            table.withUnsafeMutableBufferPointer { table in
                hashes.withUnsafeBufferPointer { hashes in
                    for index in hashes.indices {
                        let hash = hashes[index]
                        var slot = Int(truncatingIfNeeded: hash &>> UInt64(64 - bits))
                        while table[slot].index != 0 {
                            if table[slot].hash == hash { matches.append((index, table[slot].index - 1)) }
                            slot = (slot &+ 1) & mask
                        }
                        table[slot] = KeySlot(hash: hash, index: index + 1)
                    }
                }
            }
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

/// A slot of the primary-key check's table.
private struct KeySlot: BitwiseCopyable {
    var hash: UInt64
    var index: Int
}
