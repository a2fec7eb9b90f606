#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HollowCore

/// The state image reader's target: an input is the bytes of an image file, opened with the
/// structure check. It must give a `StateImageError`, or a state every record of which reads and
/// whose mapped indexes answer every lookup and end (with any answer: the check promises that a
/// damaged image is safe to serve, not that a damaged slot still finds its record).
enum ImageTarget {
    /// One file per process, rewritten for each input: the previous input's mapping is gone by
    /// then (nothing outlives `run`), so no mapped file is ever truncated.
    static let path = "/tmp/hollow-fuzz-image-\(getpid())"

    static func run(_ data: UnsafeRawBufferPointer) -> String {
        guard store(data) else { fatalError("cannot write \(path)") }
        do throws(StateImageError) {
            let image = try StateImage(mapping: path, check: .structure)
            var sum = StateWalk.walk(image.state)
            for index in image.primaryKeyIndexes.values {
                sum &+= lookUpEveryRecord(image.state, type: index.type, fields: index.fields) { UInt64(truncatingIfNeeded: index.ordinal(matching: $0) ?? 0) }
            }
            for index in image.hashIndexes.values {
                sum &+= lookUpEveryRecord(image.state, type: index.type, fields: index.fields) { values in
                    index.ordinals(matching: values).reduce(0) { $0 &+ UInt64(truncatingIfNeeded: $1) }
                }
            }
            return "a state of \(image.state.schema.types.count) types and \(image.primaryKeyIndexes.count + image.hashIndexes.count) indexes (\(sum))"
        } catch {
            return "refused: \(error)"
        }
    }

    /// Looks each record of `type` up by its own values of the key fields (a field of the record
    /// itself; a dotted path is looked up as null), so that every probe path and chain is walked.
    static func lookUpEveryRecord(_ state: ReadState, type: String, fields: [String], _ lookup: ([FieldValue?]) -> UInt64) -> UInt64 {
        guard let reader = state.objectType(type) else { fatalError("an index of type \(type), which the image's state does not have") }
        var sum: UInt64 = 0
        for ordinal in reader.ordinals {
            let values = fields.map { name -> FieldValue? in
                guard let field = reader.field(name), !reader.isNull(ordinal, field) else { return nil }
                return switch field.type {
                case .int: .int(reader.int(ordinal, field)!)
                case .long: .long(reader.long(ordinal, field)!)
                case .float: .float(reader.float(ordinal, field)!)
                case .double: .double(reader.double(ordinal, field)!)
                case .bool: .bool(reader.bool(ordinal, field)!)
                case .string: .string(reader.string(ordinal, field)!)
                case .bytes: .bytes(reader.bytes(ordinal, field)!)
                case .reference: .reference(reader.reference(ordinal, field)!)
                }
            }
            sum &+= lookup(values)
        }
        return sum
    }

    private static func store(_ data: UnsafeRawBufferPointer) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var done = 0
        while done < data.count {
            let written = write(descriptor, data.baseAddress! + done, data.count - done)
            guard written > 0 else { return false }
            done += written
        }
        return true
    }
}
