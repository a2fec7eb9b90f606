import Foundation

/// A consumer's copy, in a local directory, of the blobs that rebuild the version it serves (the
/// nearest snapshot and the deltas from it), with their announcements: a service restarted while
/// the store is unreachable starts from it instead of empty.
struct LocalBlobCache: Sendable {
    let store: FileSystemBlobStore
    private static let manifestName = try! BlobName("manifest.json")

    init(directory: String) throws(BlobStoreError) {
        store = try FileSystemBlobStore(directory: directory, create: true)
    }

    /// What the cache holds: announcements that lead to one version, which is pinned.
    func manifest() async throws(RefreshError) -> AnnouncementHistory {
        let bytes: [UInt8]
        do { bytes = try await store.get(Self.manifestName) } catch { throw .blobUnavailable(Self.manifestName, error) }
        do {
            let manifest = try JSONDecoder().decode(Manifest.self, from: Data(bytes))
            return AnnouncementHistory(announcements: manifest.announcements, pinnedVersion: manifest.version)
        } catch {
            throw .blobRefused(Self.manifestName, .corrupt("not a cache manifest: \(error)"))
        }
    }

    /// Makes the cache rebuild `version`: copies the blobs of the snapshot path to it (from
    /// `fetched`, else from `source`), then forgets the blobs no longer needed.
    func save(version: UInt64, history: AnnouncementHistory, planner: UpdatePlanner,
              fetched: [BlobName: [UInt8]], source: any BlobStore) async throws(RefreshError) {
        guard let plan = planner.plan(history: history, from: nil, to: version) else {
            throw .noUpdatePath(from: nil, to: version)
        }
        let held: Set<BlobName>
        do { held = Set(try await store.list()) } catch { throw .blobUnavailable(Self.manifestName, error) }
        let sourceUpdater = StateUpdater(store: source, planner: planner)
        for step in plan.steps where !held.contains(step.blob.name) {
            let bytes: [UInt8]
            if let known = fetched[step.blob.name] { bytes = known } else { bytes = try await sourceUpdater.fetch(step.blob) }
            do { try await store.put(step.blob.name, bytes) } catch { throw .blobUnavailable(step.blob.name, error) }
        }
        // The announcements between the snapshot and the version, whichever way the plan walks.
        let versions = plan.steps.map(\.toVersion) + [version]
        let announcements = history.announcements.filter { $0.version >= versions.min()! && $0.version <= versions.max()! }
        do {
            let manifest = try JSONEncoder().encode(Manifest(version: version, announcements: announcements))
            try await store.put(Self.manifestName, Array(manifest))
        } catch let error as BlobStoreError {
            throw .blobUnavailable(Self.manifestName, error)
        } catch {
            throw .blobRefused(Self.manifestName, .corrupt("\(error)"))
        }
        let needed = Set(plan.steps.map(\.blob.name) + [Self.manifestName])
        for name in held where !needed.contains(name) { try? await store.delete(name) }
    }

    private struct Manifest: Codable {
        var version: UInt64
        var announcements: [Announcement]
    }
}
