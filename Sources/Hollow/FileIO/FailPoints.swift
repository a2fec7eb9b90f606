import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Faults injected on purpose into the file I/O layer, for the fault-injection tests (in the manner
/// of etcd's failpoints): the n-th call of a step on a path containing some text fails with an
/// error number, or the process is killed right there. Disarmed, a check costs one atomic load.
///
/// Tests arm them in process (`arm`), or in a `hollow` process through the environment:
/// `HOLLOW_FAILPOINTS="fsync@/tmp/store#2=kill;rename@blobs=EIO"` (docs/TESTING.md). Paths keep
/// tests that run at once apart: each arms rules on its own directory.
package enum FailPoints {
    /// The steps of the layer a rule can name.
    package enum Step: String, CaseIterable, Sendable {
        case open, read, write, fsync, rename, lock, unlink, mkdir, truncate
    }

    package enum Action: Sendable, Equatable {
        /// The call fails with this error number, as the system would.
        case fail(Errno)
        /// The process dies by SIGKILL before the call: nothing after it happens.
        case kill
        /// The call goes ahead; it is counted (`counts`).
        case count
    }

    package struct Rule: Sendable, Equatable {
        package var step: Step
        /// A path matches when it contains this text.
        package var path: String
        /// The matching call that fires the rule, from 1; 0 fires at every matching call.
        package var occurrence: Int
        package var action: Action
        /// Matching calls seen so far.
        fileprivate var seen = 0

        package init(_ step: Step, path: String, occurrence: Int = 0, action: Action) {
            self.step = step
            self.path = path
            self.occurrence = occurrence
            self.action = action
        }
    }

    private static let isArmed = Atomic<Bool>(false)
    private static let rules = Mutex<[Rule]>([])

    package static func arm(_ rule: Rule) {
        rules.withLock { $0.append(rule) }
        isArmed.store(true, ordering: .releasing)
    }

    /// Removes every rule whose path text is `path` (all of them when nil).
    package static func disarm(path: String? = nil) {
        rules.withLock { rules in
            rules.removeAll { path == nil || $0.path == path }
            isArmed.store(!rules.isEmpty, ordering: .releasing)
        }
    }

    /// Matching calls seen by the armed rules of `path`, per step.
    package static func counts(path: String) -> [Step: Int] {
        rules.withLock { rules in
            var counts: [Step: Int] = [:]
            for rule in rules where rule.path == path { counts[rule.step, default: 0] += rule.seen }
            return counts
        }
    }

    /// Called by the layer before each step: throws the armed error, or kills the process.
    /// `partial` runs first when a rule fires: a write puts half its bytes down, as a full disk or
    /// a crash in the middle of it leaves a file.
    @inline(__always)
    static func check(_ step: Step, _ path: String, operation: String, partial: () -> Void = {}) throws(FileIOError) {
        guard isArmed.load(ordering: .acquiring) else { return }
        if let errno = fire(step, path, partial: partial) { throw FileIOError(operation, path, errno) }
    }

    private static func fire(_ step: Step, _ path: String, partial: () -> Void) -> Errno? {
        let action: Action? = rules.withLock { rules in
            var fired: Action?
            for index in rules.indices where rules[index].step == step && path.contains(rules[index].path) {
                rules[index].seen += 1
                let rule = rules[index]
                if rule.action != .count && (rule.occurrence == 0 || rule.occurrence == rule.seen) { fired = fired ?? rule.action }
            }
            return fired
        }
        switch action {
        case .fail(let errno)?:
            partial()
            return errno
        case .kill?:
            partial()
            kill(getpid(), SIGKILL)
            // SIGKILL cannot be caught; nothing runs past it.
            while true { pause() }
        case .count?, nil: return nil
        }
    }

    // MARK: From the environment

    package struct SpecificationError: Error, CustomStringConvertible {
        package var description: String
    }

    /// Arms the rules of a specification: `step@path[#occurrence]=action`, separated by `;`,
    /// where the action is `kill`, `count` or an error name (`EIO`, `ENOSPC`, `EACCES`, `EDQUOT`,
    /// `EROFS`, `EINTR` is not one: the layer retries it).
    package static func arm(specification: String) throws(SpecificationError) {
        for part in specification.split(separator: ";") where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1)
            let target = pieces[0].split(separator: "@", maxSplits: 1)
            guard pieces.count == 2, target.count == 2, let step = Step(rawValue: String(target[0])) else {
                throw SpecificationError(description: "'\(part)' is not step@path[#n]=action (steps: \(Step.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var path = String(target[1])
            var occurrence = 0
            if let hash = path.lastIndex(of: "#") {
                guard let number = Int(path[path.index(after: hash)...]), number >= 1 else {
                    throw SpecificationError(description: "'\(part)': the occurrence after # is a number from 1")
                }
                occurrence = number
                path = String(path[..<hash])
            }
            let action: Action
            switch pieces[1] {
            case "kill": action = .kill
            case "count": action = .count
            case "EIO": action = .fail(.ioError)
            case "ENOSPC": action = .fail(.noSpace)
            case "EACCES": action = .fail(.permissionDenied)
            case "EDQUOT": action = .fail(.diskQuotaExceeded)
            case "EROFS": action = .fail(.readOnlyFileSystem)
            default: throw SpecificationError(description: "'\(part)': the action is kill, count, EIO, ENOSPC, EACCES, EDQUOT or EROFS")
            }
            arm(Rule(step, path: path, occurrence: occurrence, action: action))
        }
    }
}
