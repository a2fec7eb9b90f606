/// S3's error document, `<Error><Code>...</Code><Message>...</Message>...</Error>`: the code and
/// message, and the region S3 names when a request went to the wrong one.
struct S3ErrorBody: Sendable, Equatable {
    var code: String
    var message: String
    /// From `<Region>` or the `x-amz-bucket-region` header: where the bucket really is.
    var region: String?

    /// The error in `bytes`, or nil when they hold no `<Error>` document (a HEAD's empty body, a
    /// proxy's HTML page).
    init?(_ bytes: [UInt8], bucketRegion: String? = nil) {
        let document = XMLFragment(bytes)
        guard document.rootName == "Error", let error = document.first("Error") else { return nil }
        code = error.value("Code") ?? ""
        message = error.value("Message") ?? ""
        region = error.value("Region") ?? bucketRegion
    }

    init(code: String, message: String, region: String? = nil) {
        self.code = code
        self.message = message
        self.region = region
    }
}
