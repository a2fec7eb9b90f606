import Foundation
import HollowCore

/// A consumer's copy, in a local directory, of the blobs that rebuild the version it serves (the
/// nearest snapshot and the deltas from it), with their announcements: a service restarted while
/// the store is unreachable starts from it instead of empty. With an image configured, also the
/// image of a state it served (`StateImage`), and the deltas from that state's version on.
struct LocalBlobCache: Sendable {
    let store: FileSystemBlobStore
    private let directory: LocalDirectory
    private static let manifestName = try! BlobName("manifest.json")
    static let imageName = try! BlobName("state.image")

    init(directory: String) throws(BlobStoreError) {
        store = try FileSystemBlobStore(directory: directory, create: true)
        do { self.directory = try LocalDirectory(store.directory) } catch { throw .init(error) }
        // An image being written when the process died stays under its temporary name, as large
        // as the state: the next process removes it (one consumer uses a cache directory).
        if let names = try? self.directory.names() {
            for name in names where name.hasPrefix(".tmp-" + Self.imageName.text + "-") { _ = try? self.directory.remove(name) }
        }
    }

    var imagePath: String { directory.appending(Self.imageName.text) }

    /// Writes the image of `state` durably: to a new file renamed over the old one, which stays
    /// intact for a state that still maps it. Readable by the service's user only. Streamed: the
    /// state's storage goes to the file as it lies, never copied into one buffer.
    func saveImage(of state: ConsumerState) throws(RefreshError) {
        let metadata: [UInt8]
        do { metadata = Array(try JSONEncoder().encode(state.announcement)) } catch {
            throw .blobRefused(Self.imageName, .corrupt("announcement: \(error)"))
        }
        let indexes = state.indexes
        do {
            try directory.replaceDurably(Self.imageName.text, permissions: [.ownerReadWrite]) { (file) throws(FileIOError) in
                try StateImage.write(of: state.readState, primaryKeyIndexes: indexes.primaryKey, hashIndexes: indexes.hash,
                                     metadata: metadata) { (buffer) throws(FileIOError) in try file.write(buffer) }
            }
        } catch {
            throw .blobUnavailable(Self.imageName, .init(error))
        }
    }

    /// Maps the image, checked as `check` says: its state, indexes and announcement.
    func openImage(check: StateImage.Check) throws(StateImageError) -> (StateImage, Announcement) {
        let image = try StateImage(mapping: imagePath, check: check)
        do {
            return (image, try JSONDecoder().decode(Announcement.self, from: Data(image.metadata)))
        } catch {
            throw .refused(path: imagePath, .corrupt("the image's announcement: \(error)"))
        }
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
    /// `fetched`, else from `source`), and those of the path from `imageVersion` (the image's),
    /// then forgets the blobs no longer needed.
    func save(version: UInt64, history: AnnouncementHistory, planner: UpdatePlanner, imageVersion: UInt64? = nil,
              fetched: [BlobName: [UInt8]], source: any BlobStore) async throws(RefreshError) {
        guard var plan = planner.plan(history: history, from: nil, to: version) else {
            throw .noUpdatePath(from: nil, to: version)
        }
        // The way from the image's version, when the log still has one: the deltas a restart
        // applies to the image during an outage.
        if let imageVersion, imageVersion != version, let fromImage = planner.plan(history: history, from: imageVersion, to: version),
           !fromImage.steps.contains(where: { $0.kind == .snapshot }) {
            plan = UpdatePlan(steps: plan.steps + fromImage.steps.filter { step in !plan.steps.contains { $0.blob.name == step.blob.name } })
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
        let versions = plan.steps.map(\.toVersion) + [version] + (imageVersion.map { [$0] } ?? [])
        let announcements = history.announcements.filter { $0.version >= versions.min()! && $0.version <= versions.max()! }
        do {
            let manifest = try JSONEncoder().encode(Manifest(version: version, announcements: announcements))
            try await store.put(Self.manifestName, Array(manifest))
        } catch let error as BlobStoreError {
            throw .blobUnavailable(Self.manifestName, error)
        } catch {
            throw .blobRefused(Self.manifestName, .corrupt("\(error)"))
        }
        let needed = Set(plan.steps.map(\.blob.name) + [Self.manifestName, Self.imageName])
        for name in held where !needed.contains(name) { try? await store.delete(name) }
    }

    private struct Manifest: Codable {
        var version: UInt64
        var announcements: [Announcement]
    }
}
