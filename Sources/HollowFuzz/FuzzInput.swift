/// The fuzzer's input format (docs/FUZZING.md):
///
///     byte 0        mode: its low two bits select one of `FuzzInput.Mode` (the other bits are ignored)
///     bytes 1...    the blob, or the blobs of a chain as pieces
///
/// A chain is a sequence of pieces, each a 32-bit little-endian length followed by that many
/// bytes; a length past the end of the input takes what is left. The first piece is a snapshot,
/// each next one a delta (or reverse delta) applied to the state the pieces before it lead to. At
/// most `maximumPieces` pieces are read; anything after them is ignored.
///
/// In the raw modes the blobs are the uncompressed content, which the harness wraps in an LZ4
/// frame before loading, so that mutations reach the parser instead of failing the frame checksum.
struct FuzzInput {
    enum Mode: UInt8, CaseIterable {
        /// One stored (LZ4-framed) snapshot.
        case snapshot = 0
        /// A stored snapshot followed by stored deltas.
        case chain = 1
        /// The content of one snapshot.
        case rawSnapshot = 2
        /// The content of a snapshot followed by the contents of deltas.
        case rawChain = 3

        var isRaw: Bool { self == .rawSnapshot || self == .rawChain }
        var isChain: Bool { self == .chain || self == .rawChain }
    }

    static let maximumPieces = 8

    var mode: Mode
    /// The blobs, stored or raw according to `mode`: one for the snapshot modes.
    var blobs: [[UInt8]]

    init(mode: Mode, blobs: [[UInt8]]) {
        self.mode = mode
        self.blobs = blobs
    }

    /// Splits fuzzer bytes into a mode and blobs; never fails (an empty input is a snapshot mode
    /// with no blob).
    init(_ data: UnsafeRawBufferPointer) {
        guard let first = data.first else {
            self.init(mode: .snapshot, blobs: [])
            return
        }
        let mode = Mode(rawValue: first & 3)!
        let body = UnsafeRawBufferPointer(rebasing: data[1...])
        guard mode.isChain else {
            self.init(mode: mode, blobs: [Array(body)])
            return
        }
        var blobs: [[UInt8]] = []
        var offset = 0
        while offset < body.count && blobs.count < FuzzInput.maximumPieces {
            var length = 0
            for index in 0..<4 where offset + index < body.count {
                length |= Int(body[offset + index]) << (8 * index)
            }
            offset = min(offset + 4, body.count)
            let end = min(offset + length, body.count)
            blobs.append(Array(body[offset..<end]))
            offset = end
        }
        self.init(mode: mode, blobs: blobs)
    }

    /// The bytes of this input, as the fuzzer reads them.
    var encoded: [UInt8] {
        var bytes: [UInt8] = [mode.rawValue]
        if mode.isChain {
            for blob in blobs {
                withUnsafeBytes(of: UInt32(blob.count).littleEndian) { bytes.append(contentsOf: $0) }
                bytes.append(contentsOf: blob)
            }
        } else {
            bytes.append(contentsOf: blobs.first ?? [])
        }
        return bytes
    }
}
