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
///         func title(of id: Int) -> String? { index.ordinal(id).flatMap { movies.string($0, title) } }
///     }
///     let titles = consumer.view { state in try Titles(state) }
///     let title = titles.withCurrent { titles in titles?.title(of: 42) }   // per request
///
/// The consumer makes the handles of every view when it publishes a version, before any request
/// reads it; a view made after that makes them on its first request (the other requests of that
/// moment wait for it). `make` runs once per version and view. When it throws (a type the version
/// does not have, say), the error is logged and `withCurrent` gives nil until the next version.
///
/// Handles may hold the read state, its indexes and handles, but not the ``ConsumerState``, the
/// ``Consumer`` or a view (the state holds the handles: neither would be freed). A consumer has at
/// most 64 views in its life: make them once, at start-up.
public final class ConsumerView<Handles: AnyObject & Sendable>: Sendable {
    private let consumer: Consumer
    let maker: Maker

    /// Makes a view's handles for a state, into the state's slot of the view.
    final class Maker: Sendable {
        let slot: Int
        private let make: @Sendable (ConsumerState) throws -> Handles
        private let logger: Logger

        init(slot: Int, logger: Logger, make: @escaping @Sendable (ConsumerState) throws -> Handles) {
            self.slot = slot
            self.make = make
            self.logger = logger
        }

        /// The handles of `state`, made unless they were.
        @discardableResult
        func handles(of state: ConsumerState) -> SetOnceReferences.Slot<Handles> {
            state.views.make(slot) { () -> Handles? in
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
    }

    init(consumer: Consumer, maker: Maker) {
        self.consumer = consumer
        self.maker = maker
    }

    /// Calls `body` with this view's handles for the version served now (nil before the first
    /// refresh, or when they could not be made for it), borrowed: `body` must not keep them
    /// beyond its return (a copy it keeps is fine). Never blocks, except on the first request of
    /// a view made after the version was published.
    public func withCurrent<R>(_ body: (Handles?) throws -> R) rethrows -> R {
        try consumer.withCurrent { state in
            guard let state else { return try body(nil) }
            var slot = state.views.slot(maker.slot, as: Handles.self)
            if case .unset = slot { slot = maker.handles(of: state) }
            guard case .object(let handles) = slot else { return try body(nil) }
            return try handles._withUnsafeGuaranteedRef { try body($0) }
        }
    }
}
