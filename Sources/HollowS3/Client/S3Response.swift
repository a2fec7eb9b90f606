import NIOHTTP1

/// An answer: its status, its headers and its body (read whole, up to the limit the call set).
package struct S3Response: Sendable {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: [UInt8]

    package var isSuccess: Bool { (200..<300).contains(status) }

    /// A header's value as an integer (Content-Length, say), or nil when absent or not a number.
    package func integer(_ name: String) -> Int? { headers.first(name: name).flatMap { Int($0) } }
}
