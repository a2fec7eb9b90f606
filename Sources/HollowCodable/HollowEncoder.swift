import HollowCore

/// Adds `Encodable` values to the cycle under way of a write state, each with the values nested in
/// it: nested structs, collections and their elements become records of their own types, and
/// identical values share one ordinal. The schema is the write state's; derive it with
/// `Schema(deriving:)`.
///
///     let state = WriteState(schema: try Schema(deriving: Movie.self))
///     try state.beginCycle()
///     let encoder = HollowEncoder(state)
///     let ordinal = try encoder.add(movie)        // or try state.add(movie)
///     try encoder.add(contentsOf: movies)
///
/// Safe to use from several threads at once, as the write state is.
public struct HollowEncoder: Sendable {
    public let state: WriteState

    public init(_ state: WriteState) { self.state = state }

    /// Adds `value` as a record of its type (`Schema.typeName(of: T.self)`, or `typeName`) and
    /// returns its ordinal.
    @discardableResult
    public func add<T: Encodable>(_ value: T, as typeName: String? = nil) throws(HollowCodableError) -> Int {
        try EncodingSession(state: state).ordinal(of: value, as: typeName ?? HollowTypeNaming.name(of: T.self))
    }

    /// Adds every value of `values`, returning their ordinals in order.
    @discardableResult
    public func add<S: Sequence>(contentsOf values: S, as typeName: String? = nil) throws(HollowCodableError) -> [Int] where S.Element: Encodable {
        let session = EncodingSession(state: state)
        let name = typeName ?? HollowTypeNaming.name(of: S.Element.self)
        var ordinals: [Int] = []
        ordinals.reserveCapacity(values.underestimatedCount)
        for value in values { ordinals.append(try session.ordinal(of: value, as: name)) }
        return ordinals
    }
}

extension WriteState {
    /// Adds an `Encodable` value, and the values nested in it, to the cycle under way; returns its
    /// ordinal. See `HollowEncoder`.
    @discardableResult
    public func add<T: Encodable>(_ value: T) throws(HollowCodableError) -> Int {
        try HollowEncoder(self).add(value)
    }
}
