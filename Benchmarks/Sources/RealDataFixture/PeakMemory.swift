import Foundation

/// The process's peak resident set (Linux `VmHWM`), which `reset()` brings down to the current
/// resident set (writing 5 to /proc/self/clear_refs, Linux 4.0 and later): the peak of one step
/// of a long process is `peakResidentBytes()` after a `reset()` before it.
public enum PeakMemory {
    /// Whether the reset worked (nil peak figures elsewhere).
    @discardableResult
    public static func reset() -> Bool {
        guard let file = fopen("/proc/self/clear_refs", "w") else { return false }
        defer { fclose(file) }
        return fputs("5", file) >= 0
    }

    /// `VmHWM` in bytes, or nil where /proc/self/status has none.
    public static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.dropFirst(6).filter(\.isNumber)
            return Int(digits).map { $0 * 1024 }
        }
        return nil
    }
}
