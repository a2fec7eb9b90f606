import HollowCore
import Logging
import Synchronization

/// What a service reads on every request, resolved once per version: its indexes, object types and
/// field handles, in a class of its own. ``withCurrent(_:)`` lends the handles of the version served
/// now with no reference counted and no lock: a request writes only a hazard slot (its own, unless
/// two threads' slots collide or more threads read at once than there are slots, 128).
///
///     struct MissingHandles: Error {}
///     final class Titles: Sendable {
///         let index: PrimaryKeyIndex, movies: ObjectTypeReadState, title: FieldHandle
///         init(_ state: ConsumerState) throws {
///             guard let index = state.primaryKeyIndex("Movie"), let movies = state.readState.objectType("Movie"),
///                   let title = movies.field("title") else { throw MissingHandles() }
///             (self.index, self.movies, self.title) = (index, movies, title)
///         }
///         func title(of id: Int) -> String? { index.ordinal(id).flatMap { movies.string($0, title) } }
///     }
///     let titles = try consumer.view { state in try Titles(state) }
///     let title = titles.withCurrent { titles in titles?.title(of: 42) }   // per request
///
/// The consumer makes the handles of every view for each version before it serves it; when `make`
/// throws, that version is not served (the refresh fails with ``RefreshError/view(handles:version:reason:)``
/// and the last good version stays served). ``Consumer/view(_:)`` makes them for the version served
/// when it is called, and throws if it cannot.
///
/// Reach the handles in the body by optional chaining (`titles?.title(of: 42)`) or `map`: binding
/// them with `guard let` or `if let` makes a copy, which Swift 6.3 counts (one retain a request, on
/// a word every thread writes; `HollowPipelineBenchmarks` counts 0 and 1 retains a request).
/// `withCurrent`'s body is synchronous: handles cannot be held across an `await` (copy the values a
/// request needs out of them first). Handles may hold the read state, its indexes and handles,
/// but not the ``ConsumerState``, the ``Consumer`` or a view, and `make` must not capture the
/// consumer or a view: the state holds its handles, and the consumer holds `make`, so neither would
/// ever be freed (the consumer warns when a replaced state stays alive three refreshes later). A
/// consumer makes at most 64 views in its life: make them once, at start-up.
public final class ConsumerView<Handles: AnyObject & Sendable>: Sendable {
    private let consumer: Consumer
    private let maker: Maker
    /// The view's slot in every state (the maker's, kept here: the read path calls nothing on the maker).
    private let slot: Int

    /// Makes a view's handles for a state, into the state's slot of the view.
    final class Maker: ViewMaker {
        let slot: Int
        private let make: @Sendable (ConsumerState) throws -> Handles
        private let logger: Logger
        private let live = Atomic<Bool>(true)

        init(slot: Int, logger: Logger, make: @escaping @Sendable (ConsumerState) throws -> Handles) {
            self.slot = slot
            self.make = make
            self.logger = logger
        }

        var isLive: Bool { live.load(ordering: .relaxed) }
        func retire() { live.store(false, ordering: .relaxed) }

        func makeHandles(of state: ConsumerState) throws(RefreshError) {
            var failure: (any Error)?
            let slot = state.views.make(slot) { () -> Handles? in
                do {
                    return try make(state)
                } catch {
                    failure = error
                    return nil
                }
            }
            if case .none = slot {
                throw .view(handles: "\(Handles.self)", version: state.version, reason: failure.map { "\($0)" } ?? "failed before")
            }
        }

        /// The handles of `state`, made now if they were not (a view made after `state` was published).
        func handles(of state: ConsumerState) -> SetOnceReferences.Slot<Handles> {
            let slot = state.views.slot(self.slot, as: Handles.self)
            guard case .unset = slot else { return slot }
            do throws(RefreshError) { try makeHandles(of: state) } catch {
                logger.error("a view's handles could not be made for the version served", metadata: ["error": "\(error)"])
            }
            return state.views.slot(self.slot, as: Handles.self)
        }
    }

    init(consumer: Consumer, maker: Maker) {
        self.consumer = consumer
        self.maker = maker
        slot = maker.slot
    }

    deinit { maker.retire() }

    /// Calls `body` with this view's handles for the version served now (nil before the first
    /// refresh), borrowed: `body` must not keep them beyond its return (a copy it keeps is fine).
    /// Never blocks (except, once, when a refresh published a version while this view was being
    /// made: the first requests then wait for its handles).
    public func withCurrent<R>(_ body: (Handles?) throws -> R) rethrows -> R {
        try consumer.withCurrentUnmanaged { state in
            guard let state else { return try body(nil) }
            // Unmanaged all the way to the handles: a borrowed state bound to a name was retained
            // around the body (one count a request, on a word every thread writes).
            var handles = state._withUnsafeGuaranteedRef { $0.views.slot(slot, as: Handles.self) }
            if case .unset = handles { handles = state._withUnsafeGuaranteedRef { maker.handles(of: $0) } }
            guard case .object(let made) = handles else { return try body(nil) }
            return try made._withUnsafeGuaranteedRef { try body($0) }
        }
    }
}

/// A view's maker, whatever its handles' type: what the consumer runs for each version it publishes.
protocol ViewMaker: AnyObject, Sendable {
    var isLive: Bool { get }
    func makeHandles(of state: ConsumerState) throws(RefreshError)
}

/// Why ``Consumer/view(_:)`` made no view.
public enum ConsumerViewError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The consumer made all the views it may (64 in its life).
    case tooManyViews(limit: Int)
    /// The handles could not be made for the version served now.
    case handles(RefreshError)

    public var description: String {
        switch self {
        case .tooManyViews(let limit): "a consumer makes at most \(limit) views in its life"
        case .handles(let error): "\(error)"
        }
    }
}
