extension Array where Element == UInt8 {
    /// `withUnsafeBytes` keeping the importer's typed error (the standard library's rethrows `any Error`).
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ImportError) -> R) throws(ImportError) -> R {
        try withUnsafeBytes { bytes in Result { () throws(ImportError) in try body(bytes) } }.get()
    }
}
