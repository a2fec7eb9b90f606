import AsyncHTTPClient
import Hollow
import Logging
import NIOCore
import NIOHTTP1

extension S3Client {
    /// How much of an answer's body to read, decided from its status and headers before any of
    /// it is read; throwing refuses the answer without reading it (a GET of the wrong size).
    package typealias BodyLimit = (_ status: Int, _ headers: HTTPHeaders) throws(S3Error) -> Int

    /// The limit of answers that are XML documents (listings, errors, upload ids).
    static func documentLimit(_ status: Int, _ headers: HTTPHeaders) throws(S3Error) -> Int { 16 << 20 }

    /// Sends `request`, signed anew at each try, and returns its successful answer.
    ///
    /// Tried up to `attempts` times, with `backoff` before each further try, after a 5xx answer,
    /// throttling, a timeout or a transport failure (every call of the store is safe to repeat:
    /// puts replace whole objects, parts are numbered, a repeated complete is checked by the
    /// store). Any other error answer is mapped at once (`S3Error`).
    package func send(_ request: S3Request, bodyLimit: BodyLimit = S3Client.documentLimit) async throws(S3Error) -> S3Response {
        var failures: [TransportFailure] = []
        var answered = false
        var lastReason = "no answer"
        let started = ContinuousClock.now
        for attempt in 1...attempts {
            if attempt > 1 {
                do { try await Task.sleep(for: backoff.delay(afterFailures: attempt - 1)) } catch { throw .cancelled }
            }
            let credentials = try await currentCredentials()
            let outcome: Attempt
            do { outcome = try await self.attempt(request, credentials: credentials, bodyLimit: bodyLimit) } catch {
                metrics.record(request.operation, outcome: "failed")
                throw error
            }
            let reason: String
            switch outcome {
            case .answered(let response):
                metrics.bytes(sent: request.bodySize, received: response.body.count)
                // CompleteMultipartUpload can answer 200 and put an error in the body.
                let hiddenError = request.operation == .completeMultipartUpload && response.isSuccess ? S3ErrorBody(response.body) : nil
                if response.isSuccess && hiddenError == nil {
                    metrics.record(request.operation, outcome: "succeeded")
                    metrics.duration(request.operation, ContinuousClock.now - started)
                    return response
                }
                let body = hiddenError ?? S3ErrorBody(response.body, bucketRegion: response.headers.first(name: "x-amz-bucket-region"))
                guard S3RetryRule.isRetryable(status: response.status, code: body?.code) else {
                    metrics.record(request.operation, outcome: "failed")
                    throw refusal(request, response, body: body, credentials: credentials)
                }
                reason = "HTTP \(response.status)" + (body.map { " \($0.code): \($0.message)" } ?? "")
                answered = true
            case .failed(.cancelled):
                metrics.record(request.operation, outcome: "failed")
                throw .cancelled
            case .failed(let failure):
                failures.append(failure)
                reason = failure.reason
            }
            lastReason = reason
            if attempt < attempts {
                metrics.record(request.operation, outcome: "retried")
                logger.debug("S3 request failed, trying again", metadata: [
                    "operation": "\(request.operation.name)", "key": "\(request.key ?? "")", "attempt": "\(attempt)", "reason": "\(reason)",
                ])
            }
        }
        metrics.record(request.operation, outcome: "failed")
        if !answered, failures.allSatisfy({ if case .notConnected = $0 { true } else { false } }) {
            throw .unreachable(endpoint: connectionOrigin ?? location.origin, reason: lastReason, attempts: attempts)
        }
        throw .unavailable(request.operation, reason: lastReason, attempts: attempts)
    }

    enum Attempt: Sendable {
        case answered(S3Response)
        case failed(TransportFailure)
    }

    /// One try, bounded by the request's timeout: the answer's head within it, then its body
    /// within the time the body's size allows. Throws only when `bodyLimit` refuses the answer.
    private func attempt(_ request: S3Request, credentials: S3Credentials, bodyLimit: BodyLimit) async throws(S3Error) -> Attempt {
        recordTry(request.operation, started: true)
        defer { recordTry(request.operation, started: false) }
        let headTimeout = timeout(forBytes: request.bodySize)
        let response: HTTPClientResponse
        do {
            response = try await http.execute(signed(request, credentials: credentials, at: .now()),
                                              timeout: .nanoseconds(headTimeout.nanoseconds), logger: logger)
        } catch {
            return .failed(TransportFailure.classify(error))
        }
        let status = Int(response.status.code)
        let limit = try bodyLimit(status, response.headers)
        let length = response.headers.first(name: "content-length").flatMap { Int($0) }
        do {
            let body = try await Self.collect(response.body, limit: limit, expectedLength: length,
                                              within: timeout(forBytes: length ?? 0), counter: self)
            return .answered(S3Response(status: status, headers: response.headers, body: body))
        } catch let tooLarge as BodyTooLarge {
            throw .sizeMismatch(expected: limit, found: tooLarge.received)
        } catch {
            return .failed(TransportFailure.classify(error))
        }
    }

    /// The HTTP request of `request`, signed at `time` with `credentials`.
    func signed(_ request: S3Request, credentials: S3Credentials, at time: SigV4Timestamp) -> HTTPClientRequest {
        var headers = request.headers
        headers.append(.init("host", location.hostHeader))
        headers.append(.init("x-amz-date", time.amzDate))
        headers.append(.init("x-amz-content-sha256", request.payloadSHA256))
        if let token = credentials.sessionToken { headers.append(.init("x-amz-security-token", token)) }
        let path = location.path(forKey: request.key)
        let signature = SigV4Signer(credentials: credentials, region: location.region).sign(
            SigV4Request(method: request.method.rawValue, encodedPath: path, query: request.query, headers: headers,
                         payloadSHA256: request.payloadSHA256), at: time)
        var http = HTTPClientRequest(url: (connectionOrigin ?? location.origin) + path + Self.queryString(request.query))
        http.method = request.method
        for header in headers { http.headers.add(name: header.name, value: header.value) }
        http.headers.add(name: "authorization", value: signature.authorization)
        if let body = request.body {
            http.body = .bytes(body)
        } else if request.method == .PUT || request.method == .POST {
            http.body = .bytes(ByteBuffer())
        }
        return http
    }

    /// `?name=value&...` encoded as signed; a name without a value stays bare (`?uploads`).
    static func queryString(_ items: [SigV4Request.QueryItem]) -> String {
        guard !items.isEmpty else { return "" }
        return "?" + items.map { item in
            URIEncoding.component(item.name) + (item.value.isEmpty ? "" : "=" + URIEncoding.component(item.value))
        }.joined(separator: "&")
    }

    struct BodyTooLarge: Error {
        var received: Int
    }

    /// The whole body, at most `limit` bytes (`BodyTooLarge` past it), within `within`.
    static func collect(_ body: HTTPClientResponse.Body, limit: Int, expectedLength: Int?, within: Duration,
                        counter: S3Client) async throws -> [UInt8] {
        try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                var bytes: [UInt8] = []
                if let expectedLength, expectedLength <= limit { bytes.reserveCapacity(expectedLength) }
                for try await chunk in body {
                    counter.bytesReceived.add(chunk.readableBytes, ordering: .relaxed)
                    guard bytes.count + chunk.readableBytes <= limit else { throw BodyTooLarge(received: bytes.count + chunk.readableBytes) }
                    bytes.append(contentsOf: chunk.readableBytesView)
                }
                return bytes
            }
            group.addTask {
                try await Task.sleep(for: max(within, .zero))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let bytes = first else { throw HTTPClientError.deadlineExceeded }
            return bytes
        }
    }

    /// The error for an answer that is not worth another try.
    func refusal(_ request: S3Request, _ response: S3Response, body: S3ErrorBody?, credentials: S3Credentials) -> S3Error {
        let status = response.status
        let code = body?.code ?? ""
        var message = body?.message ?? ""
        if message.isEmpty {
            // Not S3's error document: a HEAD's empty body, or a proxy's page.
            let text = String(decoding: response.body.prefix(200), as: UTF8.self).filter { !$0.isNewline }
            message = text.isEmpty ? "HTTP \(status) without a reason" : "HTTP \(status): \(text)"
        }
        if S3RetryRule.credentialCodes.contains(code) { dropCredentials(credentials) }
        if status == 404 && code == "NoSuchBucket" { return .noSuchBucket(location.bucket) }
        if status == 404 && (code == "NoSuchKey" || code.isEmpty) { return .noSuchKey(request.key ?? "") }
        if status == 403 || S3RetryRule.credentialCodes.contains(code) {
            return .accessDenied(request.operation, code: code.isEmpty ? "AccessDenied" : code, message: message)
        }
        if status == 301 || code == "AuthorizationHeaderMalformed" || code == "PermanentRedirect" {
            if let region = body?.region ?? response.headers.first(name: "x-amz-bucket-region"), region != location.region {
                message += " (the bucket is in \(region), not \(location.region): set the region to \(region))"
            }
        }
        return .refused(request.operation, status: status, code: code.isEmpty ? "-" : code, message: message)
    }
}
