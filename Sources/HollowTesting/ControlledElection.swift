import Hollow
import Synchronization

/// A leader election that the test drives: who leads, when a lease runs out, which producer is
/// paused. Give each producer its own `participant(_:)`, and fence the log with the election
/// (`InMemoryAnnouncementLog(fencedBy:)`) so that a deposed producer's announcement is refused as a
/// real log would refuse it.
///
/// The campaign is open at first: the first participant to wait for leadership wins term 1.
/// - `grant(to:)` makes a participant leader with a new term, deposing the one before.
/// - `expire()` is a lease running out: the leader is deposed and the standby that has waited
///   longest wins the next term (at once if one waits, else the next to wait).
/// - `revoke()` deposes the leader and closes the campaign: nobody leads until `grant(to:)`.
/// - `pause(_:)` freezes a participant as SIGSTOP freezes a process: it keeps answering that it
///   leads (it has not looked), yet the fenced log refuses it; `resume(_:)` lets it look again.
public final class ControlledElection: Sendable {
    private struct State {
        var term: UInt64 = 0
        var leader: String?
        var campaignOpen = true
        /// Participants waiting for leadership, longest-waiting first.
        var waiting: [String] = []
        /// What each paused participant last saw.
        var frozen: [String: Leadership?] = [:]
        var wakeUps: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWakeUp = 0
        /// Counts changes, so that a waiter that looked before a change does not sleep through it.
        var generation: UInt64 = 0
        var history: [(term: UInt64, leader: String)] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// The election as one producer sees it.
    public func participant(_ id: String) -> Participant { Participant(election: self, id: id) }

    /// The term of the leader now (nil when nobody leads): what a fenced log compares against.
    public var currentTerm: UInt64? { state.withLock { $0.leader == nil ? nil : $0.term } }

    /// The participant that leads now.
    public var leader: String? { state.withLock { $0.leader } }

    /// The participants waiting for leadership now, longest-waiting first.
    public var standbys: [String] { state.withLock { $0.waiting } }

    /// Every leadership so far, in order: (term, participant).
    public var terms: [(term: UInt64, leader: String)] { state.withLock { $0.history } }

    /// Makes `id` the leader with a new term; the previous leader is deposed.
    @discardableResult
    public func grant(to id: String) -> Leadership {
        change { state in
            state.campaignOpen = false
            return Self.elect(id, &state)
        }
    }

    /// The leader's lease runs out: it is deposed, and the longest-waiting standby wins a new term.
    /// Returns the new leadership when a standby was waiting.
    @discardableResult
    public func expire() -> (participant: String, leadership: Leadership)? {
        change { state in Self.openCampaign(&state) }
    }

    /// Deposes the leader; nobody leads until `grant(to:)`.
    public func revoke() {
        change { state in
            state.leader = nil
            state.campaignOpen = false
        }
    }

    /// Freezes `id`'s view: it answers what it would have answered now until `resume(_:)`.
    public func pause(_ id: String) {
        // `.some(nil)`: paused while not leading (assigning nil would remove the key).
        change { state in state.frozen[id] = .some(state.leader == id ? Leadership(term: state.term) : nil) }
    }

    public func resume(_ id: String) {
        change { state in _ = state.frozen.removeValue(forKey: id) }
    }

    // MARK: Participant side

    func currentLeadership(of id: String) -> Leadership? {
        state.withLock { state in
            if let frozen = state.frozen[id] { return frozen }
            return state.leader == id ? Leadership(term: state.term) : nil
        }
    }

    func waitForLeadership(of id: String) async throws(LeaderElectionError) -> Leadership {
        defer { state.withLock { $0.waiting.removeAll { $0 == id } } }
        while true {
            if Task.isCancelled { throw .cancelled }
            let attempt = state.withLock { state -> CampaignAttempt in
                if state.frozen[id] == nil {
                    if state.leader == id { return .leads(Leadership(term: state.term)) }
                    let first = state.waiting.first { state.frozen[$0] == nil }
                    if state.leader == nil, state.campaignOpen, first == nil || first == id {
                        let leadership = Self.elect(id, &state)
                        state.generation += 1
                        return .leads(leadership)
                    }
                }
                if !state.waiting.contains(id) { state.waiting.append(id) }
                state.nextWakeUp += 1
                return .waits(WaitTicket(number: state.nextWakeUp, generation: state.generation))
            }
            let ticket: WaitTicket
            switch attempt {
            case .leads(let leadership):
                wakeEveryone()
                return leadership
            case .waits(let waiting):
                ticket = waiting
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        if Task.isCancelled || state.generation != ticket.generation { return true }
                        state.wakeUps[ticket.number] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                state.withLock { $0.wakeUps.removeValue(forKey: ticket.number) }?.resume()
            }
            if Task.isCancelled { throw .cancelled }
        }
    }

    func resign(_ id: String) {
        change { state in
            guard state.leader == id, state.frozen[id] == nil else { return }
            _ = Self.openCampaign(&state)
        }
    }

    // MARK: Helpers

    /// A waiter's place: woken when the election changes after `generation`.
    private struct WaitTicket {
        var number: Int
        var generation: UInt64
    }

    private enum CampaignAttempt {
        case leads(Leadership)
        case waits(WaitTicket)
    }

    private static func elect(_ id: String, _ state: inout State) -> Leadership {
        state.term += 1
        state.leader = id
        state.waiting.removeAll { $0 == id }
        state.history.append((state.term, id))
        return Leadership(term: state.term)
    }

    /// Nobody leads; the longest-waiting standby that is not paused wins the next term.
    private static func openCampaign(_ state: inout State) -> (participant: String, leadership: Leadership)? {
        state.leader = nil
        state.campaignOpen = true
        guard let next = state.waiting.first(where: { state.frozen[$0] == nil }) else { return nil }
        return (next, elect(next, &state))
    }

    private func change<Result>(_ body: (inout State) -> Result) -> Result {
        let result = state.withLock { state in
            state.generation += 1
            return body(&state)
        }
        wakeEveryone()
        return result
    }

    private func wakeEveryone() {
        let wakeUps = state.withLock { state in
            defer { state.wakeUps = [:] }
            return Array(state.wakeUps.values)
        }
        for wakeUp in wakeUps { wakeUp.resume() }
    }
}

extension ControlledElection {
    /// One producer's view of a `ControlledElection`.
    public struct Participant: LeaderElection {
        public let election: ControlledElection
        public let id: String

        public func currentLeadership() async throws(LeaderElectionError) -> Leadership? {
            election.currentLeadership(of: id)
        }

        public func waitForLeadership() async throws(LeaderElectionError) -> Leadership {
            try await election.waitForLeadership(of: id)
        }

        public func resign() async {
            election.resign(id)
        }
    }
}
