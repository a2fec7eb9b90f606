import Foundation

/// The JSON bodies the client sends. Keys and values go base64, int64 numbers as decimal strings
/// (what the gateway expects of proto3 JSON).
enum EtcdRequestJSON {
    typealias Object = [String: JSONValue]

    static func encode(_ object: Object) -> [UInt8] { JSONValue.object(object).bytes }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func range(key: [UInt8], rangeEnd: [UInt8]?, revision: Int64? = nil, limit: Int64? = nil) -> Object {
        var object: Object = ["key": .string(base64(key))]
        if let rangeEnd { object["range_end"] = .string(base64(rangeEnd)) }
        if let revision { object["revision"] = .string(String(revision)) }
        if let limit { object["limit"] = .string(String(limit)) }
        return object
    }

    static func put(key: [UInt8], value: [UInt8], lease: Int64) -> Object {
        var object: Object = ["key": .string(base64(key)), "value": .string(base64(value))]
        if lease != 0 { object["lease"] = .string(String(lease)) }
        return object
    }

    static func delete(key: [UInt8], rangeEnd: [UInt8]?) -> Object {
        var object: Object = ["key": .string(base64(key))]
        if let rangeEnd { object["range_end"] = .string(base64(rangeEnd)) }
        return object
    }

    static func compare(_ compare: EtcdCompare) -> Object {
        var object: Object = ["key": .string(base64(compare.key)), "result": .string(compare.result.rawValue)]
        switch compare.target {
        case .create(let revision):
            object["target"] = .string("CREATE")
            object["create_revision"] = .string(String(revision))
        case .mod(let revision):
            object["target"] = .string("MOD")
            object["mod_revision"] = .string(String(revision))
        case .version(let version):
            object["target"] = .string("VERSION")
            object["version"] = .string(String(version))
        case .value(let value):
            object["target"] = .string("VALUE")
            object["value"] = .string(base64(value))
        }
        return object
    }

    static func op(_ op: EtcdRequestOp) -> Object {
        switch op {
        case .put(let key, let value, let lease): ["request_put": .object(put(key: key, value: value, lease: lease))]
        case .range(let key, let rangeEnd): ["request_range": .object(range(key: key, rangeEnd: rangeEnd))]
        case .delete(let key, let rangeEnd): ["request_delete_range": .object(delete(key: key, rangeEnd: rangeEnd))]
        }
    }

    static func txn(compare: [EtcdCompare], success: [EtcdRequestOp], failure: [EtcdRequestOp]) -> Object {
        ["compare": .array(compare.map { .object(self.compare($0)) }),
         "success": .array(success.map { .object(op($0)) }),
         "failure": .array(failure.map { .object(op($0)) })]
    }

    static func watch(key: [UInt8], rangeEnd: [UInt8]?, startRevision: Int64?) -> Object {
        var create = range(key: key, rangeEnd: rangeEnd)
        if let startRevision { create["start_revision"] = .string(String(startRevision)) }
        return ["create_request": .object(create)]
    }
}
