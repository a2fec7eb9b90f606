import Foundation
@testable import HollowEtcd
import Testing

/// Bad answers fed to the decoders directly: each is a typed error that says what and where.
@Suite struct EtcdDecodingTests {
    static let header = #""header":{"cluster_id":"1","member_id":"2","revision":"7","raft_term":"2"}"#

    func range(_ body: String) throws(EtcdError) -> EtcdRangeResponse {
        let place = "range response"
        return try EtcdJSON.range(EtcdJSON.decode(WireRangeResponse.self, from: Array(body.utf8), place: place), place: place)
    }

    func txn(_ body: String) throws(EtcdError) -> EtcdTxnResponse {
        let place = "txn response"
        return try EtcdJSON.txn(EtcdJSON.decode(WireTxnResponse.self, from: Array(body.utf8), place: place), place: place)
    }

    @Test func aRangeAnswerDecodesWithStringIntegersAndOmittedZeros() throws {
        let response = try range(#"{\#(Self.header),"kvs":[{"key":"YQ==","create_revision":"2","mod_revision":3,"version":"2","value":"aGk="},{"key":"Yg=="}],"count":"2"}"#)
        #expect(response.header.revision == 7)
        #expect(response.kvs == [
            EtcdKeyValue(key: Array("a".utf8), value: Array("hi".utf8), createRevision: 2, modRevision: 3, version: 2),
            EtcdKeyValue(key: Array("b".utf8), value: [], createRevision: 0, modRevision: 0, version: 0),
        ])
        #expect(try range(#"{\#(Self.header)}"#).kvs.isEmpty)
    }

    @Test func badRangeAnswersSayWhatAndWhere() {
        #expect(throws: EtcdError.malformedResponse(what: "no revision in the response header", where: "range response")) {
            try range(#"{"kvs":[]}"#)
        }
        #expect(throws: EtcdError.malformedResponse(what: "'%%%' is not base64", where: "range response, field kvs[0].key")) {
            try range(#"{\#(Self.header),"kvs":[{"key":"%%%"}],"count":"1"}"#)
        }
        #expect(throws: EtcdError.malformedResponse(what: "'12x' is not a 64-bit integer", where: "range response, field kvs[0].mod_revision")) {
            try range(#"{\#(Self.header),"kvs":[{"key":"YQ==","mod_revision":"12x"}],"count":"1"}"#)
        }
        #expect(throws: EtcdError.malformedResponse(what: "'99999999999999999999' is not a 64-bit integer", where: "range response, field header.revision")) {
            try range(#"{"header":{"revision":"99999999999999999999"}}"#)
        }
        #expect(throws: EtcdError.malformedResponse(what: "a key-value without a key", where: "range response, kvs[0]")) {
            try range(#"{\#(Self.header),"kvs":[{"value":"YQ=="}],"count":"1"}"#)
        }
        #expect(throws: EtcdError.malformedResponse(what: "count 0 below the 1 keys returned", where: "range response")) {
            try range(#"{\#(Self.header),"kvs":[{"key":"YQ=="}]}"#)
        }
        #expect(throws: EtcdError.malformedResponse(what: "a negative revision or version", where: "range response, kvs[0]")) {
            try range(#"{\#(Self.header),"kvs":[{"key":"YQ==","version":"-1"}],"count":"1"}"#)
        }
        // Not JSON at all, JSON of the wrong shape.
        for body in ["", "garbage", "[]", #"{"kvs":"no"}"#, #"{"header":7}"#] {
            #expect(throws: EtcdError.self) { try range(body) }
            do { _ = try range(body) } catch {
                guard case .malformedResponse(_, let place) = error else { Issue.record("\(error)"); continue }
                #expect(place.hasPrefix("range response"))
            }
        }
    }

    @Test func aFailedTransactionHasNoSucceededField() throws {
        let failed = try txn(#"{\#(Self.header),"responses":[{"response_range":{"header":{"revision":"7"},"kvs":[{"key":"YQ==","create_revision":"4"}],"count":"1"}}]}"#)
        #expect(!failed.succeeded)
        #expect(failed.range(at: 0)?.kvs.first?.createRevision == 4)
        let succeeded = try txn(#"{\#(Self.header),"succeeded":true,"responses":[{"response_put":{"header":{}}},{"response_delete_range":{"header":{"revision":"7"},"deleted":"1"}}]}"#)
        #expect(succeeded.succeeded)
        #expect(succeeded.responses == [.put(EtcdResponseHeader(revision: 7)), .delete(EtcdDeleteResponse(header: EtcdResponseHeader(revision: 7), deleted: 1))])
    }

    @Test func aTransactionOperationMustBeExactlyOneKind() {
        #expect(throws: EtcdError.malformedResponse(what: "an operation response that is not exactly one of range, put, delete", where: "txn response, responses[0]")) {
            try txn(#"{\#(Self.header),"responses":[{}]}"#)
        }
        #expect(throws: EtcdError.malformedResponse(what: "an operation response that is not exactly one of range, put, delete", where: "txn response, responses[0]")) {
            try txn(#"{\#(Self.header),"responses":[{"response_put":{},"response_range":{}}]}"#)
        }
        #expect(throws: EtcdError.malformedResponse(what: "not a Bool: Expected to decode Bool but found a string instead.", where: "txn response, field succeeded")) {
            try txn(#"{\#(Self.header),"succeeded":"yes"}"#)
        }
    }

    @Test func watchLinesDecodeEventsAndCancellations() throws {
        let created = try EtcdWatch.Iterator.batch(Array(#"{"result":{\#(Self.header),"created":true}}"#.utf8))
        #expect(created == EtcdWatchBatch(revision: 7, created: true, events: []))
        let events = try EtcdWatch.Iterator.batch(Array(#"{"result":{\#(Self.header),"events":[{"kv":{"key":"YQ==","create_revision":"5","mod_revision":"6","version":"2","value":"eA=="}},{"type":"DELETE","kv":{"key":"YQ==","mod_revision":"7"}}]}}"#.utf8))
        #expect(events.events.map(\.kind) == [.put, .delete])
        #expect(events.events[1].kv.modRevision == 7)

        #expect(throws: EtcdError.compacted(revision: 6)) {
            try EtcdWatch.Iterator.batch(Array(#"{"result":{"header":{"raft_term":"2"},"canceled":true,"compact_revision":"6"}}"#.utf8))
        }
        #expect(throws: EtcdError.server(operation: "watch", code: 1, message: "etcd cancelled the watch")) {
            try EtcdWatch.Iterator.batch(Array(#"{"result":{"header":{"revision":"3"},"canceled":true}}"#.utf8))
        }
        #expect(throws: EtcdError.server(operation: "watch", code: 3, message: "bad request")) {
            try EtcdWatch.Iterator.batch(Array(#"{"error":{"grpc_code":3,"http_code":400,"message":"bad request","http_status":"Bad Request"}}"#.utf8))
        }
        #expect(throws: EtcdError.malformedResponse(what: "unknown event type 'EXPLODE'", where: "watch response, events[0]")) {
            try EtcdWatch.Iterator.batch(Array(#"{"result":{\#(Self.header),"events":[{"type":"EXPLODE","kv":{"key":"YQ=="}}]}}"#.utf8))
        }
        #expect(throws: EtcdError.malformedResponse(what: "an event without its key", where: "watch response, events[0]")) {
            try EtcdWatch.Iterator.batch(Array(#"{"result":{\#(Self.header),"events":[{"type":"DELETE"}]}}"#.utf8))
        }
        #expect(throws: EtcdError.malformedResponse(what: "neither a result nor an error", where: "watch response")) {
            try EtcdWatch.Iterator.batch(Array("{}".utf8))
        }
    }

    @Test func streamedLinesAreCutAcrossChunks() throws {
        var lines = LineSplitter()
        lines.append(Array("{\"a\":1}\n{\"b\"".utf8))
        #expect(try lines.nextLine(limit: 100) == Array("{\"a\":1}".utf8))
        #expect(try lines.nextLine(limit: 100) == nil)
        lines.append(Array(":2}\n".utf8))
        #expect(try lines.nextLine(limit: 100) == Array("{\"b\":2}".utf8))
        lines.append([UInt8](repeating: UInt8(ascii: "x"), count: 101))
        #expect(throws: EtcdError.malformedResponse(what: "a line longer than 100 bytes", where: "watch response")) {
            try lines.nextLine(limit: 100)
        }
    }

    @Test func errorBodiesBecomeServerErrors() {
        let body = Array(#"{"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5}"#.utf8)
        #expect(EtcdClient.serverError(.put, status: 404, body: body) == .server(operation: "put", code: 5, message: "etcdserver: requested lease not found"))
        #expect(EtcdClient.serverError(.range, status: 404, body: Array("Not Found\n".utf8))
            == .malformedResponse(what: "HTTP status 404 with body 'Not Found\n'", where: "range response"))
    }

    @Test func prefixEndsRaiseTheLastByte() {
        #expect(EtcdClient.prefixEnd(Array("a/".utf8)) == Array("a0".utf8))
        #expect(EtcdClient.prefixEnd([0x61, 0xFF]) == [0x62])
        #expect(EtcdClient.prefixEnd([0xFF]) == [0])
    }

    @Test func announcementKeysAreTwentyDigits() {
        let keys = AnnouncementKeys(prefix: "/p")
        #expect(AnnouncementKeys.text(keys.announcement(42)) == "/p/announcements/00000000000000000042")
        #expect(keys.version(ofAnnouncementKey: keys.announcement(UInt64.max)) == UInt64.max)
        #expect(keys.version(ofAnnouncementKey: Array("/p/announcements/42".utf8)) == nil)
        #expect(keys.version(ofAnnouncementKey: Array("/p/announcements/0000000000000000004x".utf8)) == nil)
        #expect(AnnouncementKeys.version(Array("99999999999999999999".utf8)) == nil)  // above UInt64.max
    }
}
