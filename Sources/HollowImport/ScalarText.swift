import Foundation
import HollowCore

/// A field value written as plain text: a CSV or TSV cell, or the key of a JSON object standing for
/// a map's key record.
enum ScalarText {
    /// The value `text` spells for a scalar shape, or nil when it spells none.
    static func value(_ text: UnsafeRawBufferPointer, as shape: ImportShape.Value) -> FieldValue? {
        switch shape {
        case .int:
            guard let number = NumberText.integer(text), let small = Int32(exactly: number) else { return nil }
            return .int(small)
        case .long: return NumberText.integer(text).map { .long($0) }
        case .float, .double:
            guard let value = NumberText.double(text) else { return nil }
            // `Infinity` may be written out; a number too large for the field may not.
            if value.isInfinite, text.last == UInt8(ascii: "y") { return shape == .float ? .float(Float(value)) : .double(value) }
            return NumberText.fieldValue(value, as: shape)
        case .bool:
            if text.elementsEqual("true".utf8) || text.elementsEqual("TRUE".utf8) || text.elementsEqual("True".utf8) { return .bool(true) }
            if text.elementsEqual("false".utf8) || text.elementsEqual("FALSE".utf8) || text.elementsEqual("False".utf8) { return .bool(false) }
            return nil
        case .string: return string(text).map { .string($0) }
        case .bytes: return string(text).flatMap { Data(base64Encoded: $0) }.map { .bytes(Array($0)) }
        case .record: return nil
        }
    }

    /// `bytes` as a string when they are valid UTF-8. ASCII, the common case, is checked eight
    /// bytes at a time and needs no other validation.
    static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        bytes.withMemoryRebound(to: UInt8.self) { utf8 in
            UTF8Bytes.isASCII(bytes) ? String(decoding: utf8, as: UTF8.self) : String(validating: utf8, as: UTF8.self)
        }
    }

    /// A short quote of `bytes` for a message.
    static func quote(_ bytes: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return "'\(text)\(bytes.count > 40 ? "…" : "")'"
    }
}
