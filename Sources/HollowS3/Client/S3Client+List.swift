extension S3Client {
    /// ListObjectsV2 of the keys that start with `prefix`, page after page (1000 keys a page).
    /// With `delimiter` "/", keys with a further "/" after the prefix are left out (they are
    /// not blobs of this store).
    package func listObjects(prefix: String, delimiter: String? = "/") async throws(S3Error) -> [ListObjectsPage.Object] {
        var objects: [ListObjectsPage.Object] = []
        var token: String?
        var seenTokens: Set<String> = []
        repeat {
            var query: [SigV4Request.QueryItem] = [.init("list-type", "2"), .init("prefix", prefix)]
            if let delimiter { query.append(.init("delimiter", delimiter)) }
            if let token { query.append(.init("continuation-token", token)) }
            let page = try ListObjectsPage(try await send(S3Request(.listObjects, .GET, key: nil, query: query)).body)
            objects += page.objects
            token = page.nextContinuationToken
            if let token, !seenTokens.insert(token).inserted {
                throw .malformedResponse(.listObjects, what: "the continuation token '\(token)' came back twice")
            }
        } while token != nil
        return objects
    }
}
