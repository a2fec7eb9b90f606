// The instant start from a state image (`StateImage`), beside the load from blobs it replaces:
// `realdata-loop DATASET plain image` and `scale` print it. The image is written once to a
// temporary directory; each open maps it again (the file stays in the page cache, as the
// image of a service that restarts on the same host does).
import Foundation
import HollowCore

struct ImageStart {
    var bytes = 0
    var write = BestTimes()
    /// Open with the structure check, and with none; each then looks one key up, which touches
    /// the slot, the record and the key's bytes.
    var structure = BestTimes()
    var unchecked = BestTimes()

    static func measure(_ state: ReadState, index: PrimaryKeyIndex, type: String, key: String? = nil, id: Int64? = nil,
                        repeats: Int) throws -> ImageStart {
        try inTemporaryDirectory { path in try measure(state, index: index, type: type, key: key, id: id, repeats: repeats, at: path) }
    }

    private static func measure(_ state: ReadState, index: PrimaryKeyIndex, type: String, key: String?, id: Int64?,
                                repeats: Int, at path: String) throws -> ImageStart {
        var result = ImageStart()
        var image: [UInt8] = []
        result.write = try BestTimes.of(1) {
            image = StateImage.bytes(of: state, primaryKeyIndexes: [type: index])
            try Data(image).write(to: URL(fileURLWithPath: path))
        }
        result.bytes = image.count
        image = []
        func open(_ check: StateImage.Check) throws {
            let opened = try StateImage(mapping: path, check: check)
            let index = opened.primaryKeyIndexes[type]!
            if let key { keep(index.ordinal(key)) } else if let id { keep(index.ordinal(id)) }
            keep(opened)
        }
        result.structure = try BestTimes.of(repeats) { try open(.structure) }
        result.unchecked = try BestTimes.of(repeats) { try open(.none) }
        return result
    }

    /// Runs `body` on the image of `state` (unchecked), mapped from a temporary file.
    static func withImage(_ state: ReadState, index: PrimaryKeyIndex, type: String, _ body: (StateImage) throws -> Void) throws {
        try inTemporaryDirectory { path in
            try Data(StateImage.bytes(of: state, primaryKeyIndexes: [type: index])).write(to: URL(fileURLWithPath: path))
            try body(try StateImage(mapping: path, check: .none))
        }
    }

    /// `body` with the path of an image file in a directory made for it, and removed after.
    private static func inTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-image-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory.appendingPathComponent("state.image").path)
    }
}
