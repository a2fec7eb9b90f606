import Hollow
import HollowCore

extension Producer {
    /// Runs `count` full cycles, giving `populate` the cycle's number (0 up) and its write state.
    /// Returns what each announced.
    @discardableResult
    public func runCycles(_ count: Int, tags: [String: String] = [:],
                          _ populate: (Int, WriteState) async throws -> Void) async throws(ProducerError) -> [CycleOutcome] {
        var outcomes: [CycleOutcome] = []
        for number in 0..<count {
            outcomes.append(try await runCycle(tags: tags) { state in try await populate(number, state) })
        }
        return outcomes
    }
}
