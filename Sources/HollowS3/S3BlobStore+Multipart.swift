import Hollow

extension S3BlobStore {
    /// A multipart upload of `bytes`: parts of `partSize` bytes, `parallelParts` at a time, then
    /// one complete that makes the object appear whole. On any failure (or cancellation) the
    /// upload is aborted, so that no parts linger and nothing appears under the key.
    func putInParts(key: String, bytes: [UInt8], sha256: String) async throws(S3Error) {
        let partSize = configuration.partSize
        let partCount = (bytes.count + partSize - 1) / partSize
        guard partCount <= Configuration.maximumParts else {
            throw .refused(.createMultipartUpload, status: 0, code: "EntityTooLarge",
                           message: "\(bytes.count) bytes make \(partCount) parts of \(partSize) bytes; S3 takes at most "
                               + "\(Configuration.maximumParts): raise partSize")
        }
        // Created in a task of its own, which a cancellation of the put does not reach: once S3
        // has made the upload, its id comes back here, so that it can be aborted.
        let client = self.client
        let uploadID = try await Task { () async -> Result<String, S3Error> in
            do throws(S3Error) { return .success(try await client.createMultipartUpload(key: key, sha256: sha256)) } catch {
                return .failure(error)
            }
        }.value.get()
        do throws(S3Error) {
            let etags = try await uploadParts(key: key, uploadID: uploadID, bytes: bytes, partCount: partCount)
            // A put cancelled by now is aborted. Past this point the complete runs in a task of its
            // own, so that the put's answer says what S3 did: a complete interrupted mid-way could
            // make the object appear whole while the put reported a failure.
            if Task.isCancelled { throw .cancelled }
            let store = self
            try await Task { () async -> Result<Void, S3Error> in
                do throws(S3Error) {
                    return .success(try await store.complete(key: key, uploadID: uploadID, etags: etags, size: bytes.count, sha256: sha256))
                } catch {
                    return .failure(error)
                }
            }.value.get()
        } catch {
            await abort(key: key, uploadID: uploadID)
            throw error
        }
    }

    /// Every part's ETag, by part number − 1; the first failure cancels the parts in flight.
    private func uploadParts(key: String, uploadID: String, bytes: [UInt8], partCount: Int) async throws(S3Error) -> [String] {
        let client = self.client
        let partSize = configuration.partSize
        let parallel = configuration.parallelParts
        var etags = [String](repeating: "", count: partCount)
        let failure: S3Error? = await withTaskGroup(of: (Int, Result<String, S3Error>).self) { group in
            var next = 0
            func start(_ index: Int) {
                let range = index * partSize..<min(bytes.count, (index + 1) * partSize)
                group.addTask {
                    do throws(S3Error) {
                        return (index, .success(try await client.uploadPart(key: key, uploadID: uploadID, number: index + 1, bytes: bytes[range])))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            while next < min(parallel, partCount) {
                start(next)
                next += 1
            }
            var failure: S3Error?
            while let (index, result) = await group.next() {
                switch result {
                case .success(let etag): etags[index] = etag
                case .failure(let error):
                    if failure == nil {
                        failure = error
                        group.cancelAll()
                    }
                }
                if failure == nil, next < partCount {
                    start(next)
                    next += 1
                }
            }
            return failure
        }
        if let failure { throw failure }
        return etags
    }

    /// Completes the upload. A complete whose answer was lost and whose retry finds no upload
    /// any more (`NoSuchUpload`) may have worked: the object's size and recorded SHA-256 say.
    func complete(key: String, uploadID: String, etags: [String], size: Int, sha256: String) async throws(S3Error) {
        do throws(S3Error) {
            try await client.completeMultipartUpload(key: key, uploadID: uploadID, etags: etags)
        } catch {
            guard case .refused(_, 404, "NoSuchUpload", _) = error,
                  let head = try? await client.headObject(key: key), head.size == size, head.sha256 == sha256 else { throw error }
            logger.debug("multipart upload completed by an earlier try", metadata: ["key": "\(key)"])
        }
    }

    /// Aborts in a task of its own, so that a cancelled put still aborts; a failed abort leaves
    /// parts that S3 bills until a lifecycle rule (AbortIncompleteMultipartUpload) drops them.
    private func abort(key: String, uploadID: String) async {
        let client = self.client
        let logger = self.logger
        await Task {
            do throws(S3Error) { try await client.abortMultipartUpload(key: key, uploadID: uploadID) } catch {
                logger.warning("could not abort a failed multipart upload; its parts stay until a lifecycle rule removes them",
                               metadata: ["key": "\(key)", "uploadId": "\(uploadID)", "error": "\(error)"])
            }
        }.value
    }
}
