@testable import HollowEtcd
import Testing

/// The request bodies, byte for byte as the client has always sent them (the hand-built JSON
/// before the `Wire*Request` structs): sorted keys, base64 keys and values with `/` unescaped,
/// int64 numbers as strings, zero and absent fields left out.
@Suite struct EtcdRequestEncodingTests {
    private func text(_ request: some Encodable) -> String {
        String(decoding: EtcdJSON.encode(request), as: UTF8.self)
    }

    @Test func keyRequests() {
        #expect(text(WireRangeRequest(key: Array("a".utf8), rangeEnd: Array("b".utf8), revision: 5, limit: 2))
            == #"{"key":"YQ==","limit":"2","range_end":"Yg==","revision":"5"}"#)
        #expect(text(WireRangeRequest(key: Array("a".utf8), rangeEnd: nil)) == #"{"key":"YQ=="}"#)
        #expect(text(WirePutRequest(key: Array("k".utf8), value: [0xFF], lease: 7)) == #"{"key":"aw==","lease":"7","value":"/w=="}"#)
        #expect(text(WirePutRequest(key: Array("k".utf8), value: Array("v".utf8), lease: 0)) == #"{"key":"aw==","value":"dg=="}"#)
        #expect(text(WireDeleteRangeRequest(key: Array("k".utf8), rangeEnd: Array("l".utf8))) == #"{"key":"aw==","range_end":"bA=="}"#)
    }

    @Test func transaction() {
        let key = Array("l".utf8)
        let request = WireTxnRequest(
            compare: [EtcdCompare(key, .create(0), .equal), EtcdCompare(key, .mod(3), .notEqual),
                      EtcdCompare(key, .version(2), .greater), EtcdCompare(key, .value(Array("x".utf8)), .less)],
            success: [.put(key: key, value: Array("id".utf8), lease: 9), .delete(key: key)],
            failure: [.range(key: key)])
        #expect(text(request) == #"{"compare":["#
            + #"{"create_revision":"0","key":"bA==","result":"EQUAL","target":"CREATE"},"#
            + #"{"key":"bA==","mod_revision":"3","result":"NOT_EQUAL","target":"MOD"},"#
            + #"{"key":"bA==","result":"GREATER","target":"VERSION","version":"2"},"#
            + #"{"key":"bA==","result":"LESS","target":"VALUE","value":"eA=="}],"#
            + #""failure":[{"request_range":{"key":"bA=="}}],"#
            + #""success":[{"request_put":{"key":"bA==","lease":"9","value":"aWQ="}},{"request_delete_range":{"key":"bA=="}}]}"#)
        #expect(text(WireTxnRequest(compare: [], success: [], failure: [])) == #"{"compare":[],"failure":[],"success":[]}"#)
    }

    /// The expectation the hand-built bodies were tested against, unchanged.
    @Test func requestsAreBase64AndStringIntegers() {
        let body = EtcdJSON.encode(WireTxnRequest(
            compare: [EtcdCompare(Array("k".utf8), .create(0), .equal), EtcdCompare(Array("k".utf8), .value([0xFF]), .less)],
            success: [.put(key: Array("k".utf8), value: Array("v\"".utf8), lease: 42)],
            failure: [.range(key: Array("k".utf8))]))
        #expect(String(decoding: body, as: UTF8.self) == #"{"compare":[{"create_revision":"0","key":"aw==","result":"EQUAL","target":"CREATE"},{"key":"aw==","result":"LESS","target":"VALUE","value":"/w=="}],"failure":[{"request_range":{"key":"aw=="}}],"success":[{"request_put":{"key":"aw==","lease":"42","value":"diI="}}]}"#)
    }

    @Test func leaseAndWatchRequests() {
        #expect(text(WireLeaseGrantRequest(ttl: WireInt64(5))) == #"{"TTL":"5"}"#)
        #expect(text(WireLeaseIDRequest(id: WireInt64(7_587_882_712_345_678_901))) == #"{"ID":"7587882712345678901"}"#)
        #expect(text(WireWatchRequest(key: Array("p/".utf8), rangeEnd: Array("p0".utf8), startRevision: 12))
            == #"{"create_request":{"key":"cC8=","range_end":"cDA=","start_revision":"12"}}"#)
        #expect(text(WireWatchRequest(key: Array("p/".utf8), rangeEnd: nil, startRevision: nil)) == #"{"create_request":{"key":"cC8="}}"#)
    }
}
