import HollowCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers written as text (JSON numbers, CSV cells): integers parsed exactly with overflow
/// checks, other numbers by the C library's correctly rounded `strtod`.
enum NumberText {
    /// `value` as a float or double field, or nil when the written number does not fit (a finite
    /// number that became infinite: `1e400`, or `1e39` for a float).
    static func fieldValue(_ value: Double, as shape: ImportShape.Value) -> FieldValue? {
        if shape == .float {
            let small = Float(value)
            return small.isInfinite && value.isFinite ? nil : .float(small)
        }
        return value.isInfinite ? nil : .double(value)
    }

    /// The length of the longest prefix of `bytes` that is a JSON number (0 when there is none).
    /// JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func jsonNumberLength(_ bytes: UnsafeRawBufferPointer) -> (length: Int, isInteger: Bool) {
        var index = 0
        func digit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digit(index) else { return (0, false) }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { while digit(index) { index += 1 } }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            guard digit(index + 1) else { return (0, false) }
            index += 1
            while digit(index) { index += 1 }
            isInteger = false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            var next = index + 1
            if next < bytes.count, bytes[next] == UInt8(ascii: "+") || bytes[next] == UInt8(ascii: "-") { next += 1 }
            guard digit(next) else { return (0, false) }
            index = next
            while digit(index) { index += 1 }
            isInteger = false
        }
        return (index, isInteger)
    }

    /// The integer `bytes` spell (`-?[0-9]+`, a leading `+` allowed), or nil when they spell no
    /// integer or one outside `Int64`.
    static func integer(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        guard index < bytes.count else { return nil }
        // Accumulated as a negative number: Int64.min has no positive counterpart.
        var value: Int64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(Int64(byte - 0x30))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    /// The floating-point number `bytes` spell: a decimal number with an optional exponent, or
    /// `NaN`, `Infinity`, `-Infinity` (CSV only; JSON has none). Nil for anything else.
    static func double(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard !bytes.isEmpty, bytes.count <= 4096 else { return nil }
        var index = 0
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { index = 1 }
        // strtod also reads hexadecimal and "inf"/"nan" in any case; only decimals go to it.
        let rest = UnsafeRawBufferPointer(rebasing: bytes[index...])
        if rest.elementsEqual("Infinity".utf8) { return bytes[0] == UInt8(ascii: "-") ? -.infinity : .infinity }
        if rest.elementsEqual("NaN".utf8), index == 0 { return .nan }
        for byte in rest {
            switch byte {
            case 0x30...0x39, UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): continue
            default: return nil
            }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            for (offset, byte) in bytes.enumerated() { buffer[offset] = CChar(bitPattern: byte) }
            buffer[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            return end == buffer.baseAddress! + bytes.count ? value : nil
        }
    }
}
