import Foundation

/// An int64 as etcd's JSON gateway writes it: a decimal string ("42"). A plain JSON number is
/// taken too; anything else is refused. Sent as a string (proto3 JSON's form of an int64).
struct WireInt64: Codable, Sendable {
    var value: Int64

    init(_ value: Int64) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = Int64(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text.prefix(40))' is not a 64-bit integer")
            }
            self.value = value
        } else {
            value = try container.decode(Int64.self)
        }
    }
}

/// Bytes as the gateway writes and reads them: standard base64 in a string.
struct WireBytes: Codable, Sendable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Data(bytes).base64EncodedString())
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text.prefix(40))' is not base64")
        }
        bytes = [UInt8](data)
    }
}

extension Optional where Wrapped == WireInt64 {
    /// The gateway leaves out fields whose value is zero.
    var orZero: Int64 { self?.value ?? 0 }
}
