import CPrefetch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension BitStorage {
    /// Raw access to the bits of a `BitStorage`. All unsafe pointer arithmetic of the bit-packed
    /// arrays lives here; callers guarantee that `bit + width <= bitCapacity` (checked in debug).
    @usableFromInline
    struct _UnsafeHandle: @unchecked Sendable {
        @usableFromInline let base: UnsafeMutableRawPointer
        @usableFromInline let bitCapacity: Int

        @inlinable
        init(base: UnsafeMutableRawPointer, bitCapacity: Int) {
            self.base = base
            self.bitCapacity = bitCapacity
        }

        @inlinable @inline(__always)
        func load(byteOffset: Int) -> UInt64 {
            UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: byteOffset, as: UInt64.self))
        }

        /// Reads the `width`-bit value at `bit`; `mask` is `BitWidth.mask(width)`.
        /// One load, a shift and a mask when the value fits in the 57+ bits of one unaligned word.
        @inlinable @inline(__always)
        func read(bit: Int, width: Int, mask: UInt64) -> UInt64 {
            assert(bit >= 0 && bit &+ width <= bitCapacity, "bit read out of range")
            let byte = bit &>> 3
            let shift = bit & 7
            let low = load(byteOffset: byte) &>> UInt64(shift)
            if width &+ shift <= 64 { return low & mask }
            let high = load(byteOffset: byte &+ 8) &<< UInt64(64 &- shift)
            return (low | high) & mask
        }

        /// Writes the low `width` bits of `value` at `bit`, leaving every other bit as it was.
        @inlinable
        func write(bit: Int, width: Int, value: UInt64) {
            assert(bit >= 0 && bit &+ width <= bitCapacity, "bit write out of range")
            assertWritable()
            guard width > 0 else { return }
            let mask = BitWidth.mask(width)
            let value = value & mask
            let byte = bit &>> 3
            let shift = UInt64(bit & 7)
            var low = load(byteOffset: byte)
            low = (low & ~(mask &<< shift)) | (value &<< shift)
            base.storeBytes(of: low.littleEndian, toByteOffset: byte, as: UInt64.self)
            if width &+ Int(shift) > 64 {
                var high = load(byteOffset: byte &+ 8)
                let highMask = mask &>> (64 &- shift)
                high = (high & ~highMask) | (value &>> (64 &- shift))
                base.storeBytes(of: high.littleEndian, toByteOffset: byte &+ 8, as: UInt64.self)
            }
        }

        /// Copies `count` bits from `source` at `sourceBit` to `self` at `bit`. Byte-aligned runs go
        /// through `memcpy`; others are written a whole destination word at a time, each word
        /// assembled from two source loads.
        func copyBits(from source: _UnsafeHandle, sourceBit: Int, to bit: Int, count: Int) {
            precondition(count >= 0 && sourceBit >= 0 && bit >= 0)
            precondition(sourceBit + count <= source.bitCapacity && bit + count <= bitCapacity, "bit copy out of range")
            assertWritable()
            var done = 0
            if sourceBit & 7 == 0 && bit & 7 == 0 {
                let wholeBytes = count >> 3
                (base + (bit >> 3)).copyMemory(from: source.base + (sourceBit >> 3), byteCount: wholeBytes)
                done = wholeBytes << 3
            } else {
                // Up to the next destination word boundary, then whole words.
                let head = min(count, (64 - (bit & 63)) & 63)
                copySmall(from: source, sourceBit: sourceBit, to: bit, count: head)
                done = head
                while count - done >= 64 {
                    let word = source.read(bit: sourceBit + done, width: 64, mask: ~0)
                    base.storeBytes(of: word.littleEndian, toByteOffset: (bit + done) >> 3, as: UInt64.self)
                    done += 64
                }
            }
            copySmall(from: source, sourceBit: sourceBit + done, to: bit + done, count: count - done)
        }

        private func copySmall(from source: _UnsafeHandle, sourceBit: Int, to bit: Int, count: Int) {
            var done = 0
            while done < count {
                let chunk = min(56, count - done)
                let value = source.read(bit: sourceBit + done, width: chunk, mask: BitWidth.mask(chunk))
                write(bit: bit + done, width: chunk, value: value)
                done += chunk
            }
        }

        /// The `count` bytes from byte `offset`, in place: a run of a byte pool (8-bit units).
        @inlinable @inline(__always)
        func bytes(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
            assert(offset >= 0 && count >= 0 && (offset &+ count) &<< 3 <= bitCapacity, "byte range out of range")
            return UnsafeRawBufferPointer(start: base + offset, count: count)
        }

        /// Asks for the cache line holding `bit` to be loaded, without waiting for it: a reader that
        /// knows what it reads next overlaps the misses. Never faults (a prefetch never does), but
        /// callers stay in range (checked in debug).
        @inline(__always)
        func prefetch(bit: Int) {
            assert(bit >= 0 && bit < Swift.max(bitCapacity, 1), "prefetch out of range")
            hollow_prefetch(base + (bit &>> 3))
        }

        /// Whether the `count` bytes from byte `offset` equal `other`, compared in place.
        @inlinable @inline(__always)
        func bytesEqual(at offset: Int, count: Int, _ other: UnsafeRawBufferPointer) -> Bool {
            guard count == other.count else { return false }
            return count == 0 || memcmp(bytes(at: offset, count: count).baseAddress.unsafelyUnwrapped, other.baseAddress.unsafelyUnwrapped, count) == 0
        }

        /// Sets the first `bitCount` bits to one.
        func fill(bitCount: Int) {
            var done = 0
            while done < bitCount {
                let chunk = min(56, bitCount - done)
                write(bit: done, width: chunk, value: ~0)
                done += chunk
            }
        }

        /// Sets `count` bits at `bit` to zero.
        func clearBits(at bit: Int, count: Int) {
            var done = 0
            while done < count {
                let chunk = min(56, count - done)
                write(bit: bit + done, width: chunk, value: 0)
                done += chunk
            }
        }
    }
}

// MARK: Frozen storage (see `BitStorage.freeze()`)

extension BitStorage._UnsafeHandle {
    /// Traps when the storage was published; nothing in release builds.
    @inlinable @inline(__always)
    func assertWritable() {
        #if DEBUG || HOLLOW_INTERNAL_CHECKS
        precondition(!_isFrozen, "write to the storage of a published state")
        #endif
    }

    // Not inlinable: the flag word exists only when HollowCore itself is built with the checks, so
    // the code that finds it must be compiled with HollowCore's settings, not a client's.

    /// The flag word after the two padding words.
    @usableFromInline
    var _frozenFlag: UnsafeMutableRawPointer { base + ((bitCapacity &>> 3) &+ 16) }

    @usableFromInline
    var _isFrozen: Bool {
        #if DEBUG || HOLLOW_INTERNAL_CHECKS
        _frozenFlag.load(as: UInt8.self) != 0
        #else
        false
        #endif
    }
}
