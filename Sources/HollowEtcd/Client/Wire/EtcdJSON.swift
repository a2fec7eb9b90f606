import Foundation

/// Writes the client's requests, and reads etcd's JSON answers into the client's types, checking
/// what must be there. A body that does not decode is `EtcdError.malformedResponse`, naming the
/// operation and the field.
enum EtcdJSON {
    /// A request body: sorted keys, slashes of base64 unescaped (the same bytes every time).
    static func encode(_ request: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { return [UInt8](try encoder.encode(request)) } catch {
            // The request types hold strings, arrays and objects only: nothing can fail.
            preconditionFailure("encoding an etcd request failed: \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], place: String) throws(EtcdError) -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw malformed(error, place: place)
        } catch {
            throw .malformedResponse(what: "\(error)", where: place)
        }
    }

    static func header(_ wire: WireHeader?, place: String) throws(EtcdError) -> EtcdResponseHeader {
        // etcd's revisions start at 1: a header without one is not etcd's.
        guard let revision = wire?.revision?.value, revision > 0 else {
            throw .malformedResponse(what: "no revision in the response header", where: place)
        }
        return EtcdResponseHeader(revision: revision)
    }

    static func keyValue(_ wire: WireKeyValue, place: String) throws(EtcdError) -> EtcdKeyValue {
        guard let key = wire.key?.bytes, !key.isEmpty else {
            throw .malformedResponse(what: "a key-value without a key", where: place)
        }
        let kv = EtcdKeyValue(key: key, value: wire.value?.bytes ?? [], createRevision: wire.createRevision.orZero,
                              modRevision: wire.modRevision.orZero, version: wire.version.orZero, lease: wire.lease.orZero)
        guard kv.createRevision >= 0, kv.modRevision >= 0, kv.version >= 0 else {
            throw .malformedResponse(what: "a negative revision or version", where: place)
        }
        return kv
    }

    /// A range answer; `enclosing` is the header of the transaction it is part of (whose
    /// revision stands in when the operation's own header has none).
    static func range(_ wire: WireRangeResponse, place: String, enclosing: EtcdResponseHeader? = nil) throws(EtcdError) -> EtcdRangeResponse {
        let header = if let enclosing, wire.header?.revision == nil { enclosing } else { try self.header(wire.header, place: place) }
        var kvs: [EtcdKeyValue] = []
        for (index, kv) in (wire.kvs ?? []).enumerated() {
            kvs.append(try keyValue(kv, place: "\(place), kvs[\(index)]"))
        }
        let count = wire.count.orZero
        guard count >= Int64(kvs.count) else {
            throw .malformedResponse(what: "count \(count) below the \(kvs.count) keys returned", where: place)
        }
        return EtcdRangeResponse(header: header, kvs: kvs, more: wire.more ?? false, count: count)
    }

    static func txn(_ wire: WireTxnResponse, place: String) throws(EtcdError) -> EtcdTxnResponse {
        let header = try header(wire.header, place: place)
        var responses: [EtcdTxnResponse.OpResponse] = []
        for (index, op) in (wire.responses ?? []).enumerated() {
            let opPlace = "\(place), responses[\(index)]"
            // An operation's own header may carry only the revision; the transaction's stands in.
            switch (op.responseRange, op.responsePut, op.responseDeleteRange) {
            case (let range?, nil, nil):
                responses.append(.range(try self.range(range, place: opPlace, enclosing: header)))
            case (nil, let put?, nil):
                responses.append(.put(put.header?.revision == nil ? header : try self.header(put.header, place: opPlace)))
            case (nil, nil, let delete?):
                let deleteHeader = delete.header?.revision == nil ? header : try self.header(delete.header, place: opPlace)
                responses.append(.delete(EtcdDeleteResponse(header: deleteHeader, deleted: delete.deleted.orZero)))
            default:
                throw .malformedResponse(what: "an operation response that is not exactly one of range, put, delete", where: opPlace)
            }
        }
        return EtcdTxnResponse(header: header, succeeded: wire.succeeded ?? false, responses: responses)
    }

    static func watchBatch(_ wire: WireWatchResponse, place: String) throws(EtcdError) -> EtcdWatchBatch {
        let header = try header(wire.header, place: place)
        var events: [EtcdWatchEvent] = []
        for (index, event) in (wire.events ?? []).enumerated() {
            let eventPlace = "\(place), events[\(index)]"
            let kind: EtcdWatchEvent.Kind
            switch event.type {
            case nil, "PUT": kind = .put
            case "DELETE": kind = .delete
            case let other?: throw .malformedResponse(what: "unknown event type '\(other.prefix(40))'", where: eventPlace)
            }
            guard let kv = event.kv else { throw .malformedResponse(what: "an event without its key", where: eventPlace) }
            events.append(EtcdWatchEvent(kind: kind, kv: try keyValue(kv, place: "\(eventPlace).kv")))
        }
        return EtcdWatchBatch(revision: header.revision, created: wire.created ?? false, events: events)
    }

    /// The error etcd put in the body of a refused request, or nil when the body is not one.
    static func serverError(_ bytes: [UInt8]) -> (code: Int, message: String)? {
        let decoder = JSONDecoder()
        guard let body = try? decoder.decode(WireErrorBody.self, from: Data(bytes)),
              let message = body.message ?? body.error else { return nil }
        return (body.code ?? 2, message)  // 2: gRPC's UNKNOWN
    }

    /// A field's name as etcd writes it (the decoder converted it to camel case).
    private static func snakeCase(_ name: String) -> String {
        guard name != "ID", name != "TTL" else { return name }
        return name.reduce(into: "") { text, character in
            if character.isUppercase { text += "_" + character.lowercased() } else { text.append(character) }
        }
    }

    private static func malformed(_ error: DecodingError, place: String) -> EtcdError {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(snakeCase(key.stringValue))" }.joined()
            return path.isEmpty ? place : "\(place), field \(path.hasPrefix(".") ? String(path.dropFirst()) : path)"
        }
        switch error {
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            return .malformedResponse(what: context.debugDescription + underlying, where: path(context))
        case .keyNotFound(let key, let context):
            return .malformedResponse(what: "missing '\(key.stringValue)'", where: path(context))
        case .typeMismatch(let type, let context):
            return .malformedResponse(what: "not a \(type): \(context.debugDescription)", where: path(context))
        case .valueNotFound(let type, let context):
            return .malformedResponse(what: "null where a \(type) belongs", where: path(context))
        @unknown default:
            return .malformedResponse(what: "\(error)", where: place)
        }
    }
}
