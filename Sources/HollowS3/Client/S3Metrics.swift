import Hollow
import Metrics

/// What the store's requests did, for swift-metrics: tries by operation and outcome, bytes each
/// way, and the duration of calls that succeeded.
///
/// - `hollow_s3_requests{bucket, operation, outcome}`: outcome `succeeded`, `retried` (a try that failed
///   and was tried again) or `failed` (a call given up on, or refused);
/// - `hollow_s3_bytes{direction}`: `sent` (bodies) and `received`;
/// - `hollow_s3_request_duration{operation}`: from the first try to the answer;
/// - `hollow_s3_requests_in_flight`: tries being sent or answered now (parts in parallel).
struct S3Metrics: Sendable {
    let bucket: String
    let inFlight: Meter

    init(bucket: String) {
        self.bucket = bucket
        inFlight = Meter(label: "hollow_s3_requests_in_flight", dimensions: [("bucket", bucket)])
    }

    func record(_ operation: S3Operation, outcome: String) {
        Counter(label: "hollow_s3_requests", dimensions: [("bucket", bucket), ("operation", operation.name), ("outcome", outcome)]).increment()
    }

    func bytes(sent: Int = 0, received: Int = 0) {
        if sent > 0 { Counter(label: "hollow_s3_bytes", dimensions: [("bucket", bucket), ("direction", "sent")]).increment(by: sent) }
        if received > 0 { Counter(label: "hollow_s3_bytes", dimensions: [("bucket", bucket), ("direction", "received")]).increment(by: received) }
    }

    func duration(_ operation: S3Operation, _ duration: Duration) {
        Metrics.Timer(label: "hollow_s3_request_duration", dimensions: [("bucket", bucket), ("operation", operation.name)])
            .recordNanoseconds(duration.nanoseconds)
    }
}
