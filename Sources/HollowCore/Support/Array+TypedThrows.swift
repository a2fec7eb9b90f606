// The standard library's `Array.withUnsafeBytes` and `withUnsafeMutableBytes` are `rethrows`: a
// body that throws a typed error comes out as `any Error`. These keep the body's error type. They
// have names of their own: an overload named `withUnsafeBytes` would also catch every non-throwing
// call (as `Failure == Never`) and, inside its own body, itself.

extension Array where Element: BitwiseCopyable {
    /// `withUnsafeBytes`, throwing the body's own error type.
    @inlinable @inline(__always)
    package func withUnsafeBytesTyped<Failure: Error, R>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> R
    ) throws(Failure) -> R {
        try withUnsafeBytes { bytes in Result { () throws(Failure) in try body(bytes) } }.get()
    }

    /// `withUnsafeMutableBytes`, throwing the body's own error type.
    @inlinable @inline(__always)
    package mutating func withUnsafeMutableBytesTyped<Failure: Error, R>(
        _ body: (UnsafeMutableRawBufferPointer) throws(Failure) -> R
    ) throws(Failure) -> R {
        try withUnsafeMutableBytes { bytes in Result { () throws(Failure) in try body(bytes) } }.get()
    }
}
