extension S3BlobStore {
    /// How a request names the bucket.
    public enum AddressingStyle: String, Sendable, Hashable, CaseIterable {
        /// `https://s3.REGION.amazonaws.com/BUCKET/KEY`: the bucket in the path. What most
        /// S3-compatible servers (MinIO, Ceph, Garage, moto) expect.
        case path
        /// `https://BUCKET.s3.REGION.amazonaws.com/KEY`: the bucket in the host name. What AWS
        /// recommends; needs a DNS name per bucket, so not an IP address as endpoint.
        case virtualHosted = "virtual-hosted"
        /// Virtual-hosted on AWS's own endpoints when the bucket's name fits in a host name
        /// without dots (a dotted name breaks the TLS certificate's wildcard), path-style on an
        /// endpoint override.
        case automatic
    }
}
