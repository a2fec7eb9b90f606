import HollowCore
import Logging

/// What a service reads on every request, resolved once per version: its indexes, object types and
/// field handles, in a class of its own. ``withCurrent(_:)`` borrows the handles of the version
/// served now with no reference counted and no lock: requests on every core read without writing
/// a word any other thread writes.
///
///     final class Titles: Sendable {
///         let index: PrimaryKeyIndex, movies: ObjectTypeReadState, title: FieldHandle
///         init(_ state: ConsumerState) throws {
///             index = state.primaryKeyIndex("Movie")!
///             movies = state.readState.objectType("Movie")!
///             title = movies.field("title")!
///         }
///     }
///     let titles = consumer.view { try Titles($0) }
///     // per request:
///     let title = titles.withCurrent { titles in
///         titles.flatMap { t in t.index.ordinal(Int64(42)).flatMap { t.movies.string($0, t.title) } }
///     }
///
/// The handles are made on the first request after each refresh (a few microseconds), from the
/// state served then, and kept with that state. Handles may hold the read state, its indexes and
/// handles, but not the ``ConsumerState`` itself (which holds them: neither would be freed). When
/// `make` throws (a type the version does not have, say), the error is logged, and `withCurrent`
/// gives nil until the next version.
public final class ConsumerView<Handles: AnyObject & Sendable>: Sendable {
    private let consumer: Consumer
    private let slot: Int
    private let make: @Sendable (ConsumerState) throws -> Handles
    private let logger: Logger

    init(consumer: Consumer, slot: Int, logger: Logger, make: @escaping @Sendable (ConsumerState) throws -> Handles) {
        self.consumer = consumer
        self.slot = slot
        self.make = make
        self.logger = logger
    }

    /// Calls `body` with this view's handles for the version served now (nil before the first
    /// refresh, or when they could not be made for it), borrowed: `body` must not keep them
    /// beyond its return (a copy it keeps is fine). Never blocks, except for the request that
    /// makes the handles of a new version.
    @inline(__always)
    public func withCurrent<R>(_ body: (Handles?) throws -> R) rethrows -> R {
        try consumer.withCurrent { state in
            guard let state else { return try body(nil) }
            switch state.views.slot(slot, as: Handles.self) {
            case .object(let handles): return try handles._withUnsafeGuaranteedRef { try body($0) }
            case .none: return try body(nil)
            case .unset: break
            }
            switch state.views.set(slot, to: makeHandles(state)) {
            case .object(let handles): return try handles._withUnsafeGuaranteedRef { try body($0) }
            case .none, .unset: return try body(nil)
            }
        }
    }

    private func makeHandles(_ state: ConsumerState) -> Handles? {
        do {
            return try make(state)
        } catch {
            logger.error("a view's handles could not be made for this version", metadata: [
                "version": "\(state.version)", "handles": "\(Handles.self)", "error": "\(error)",
            ])
            return nil
        }
    }
}
