/// `30s`, `500ms`, `5m`, `1h`, or a number of seconds.
struct ScheduleDuration {
    let duration: Duration

    /// Between a millisecond and a year.
    init?(_ text: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let (number, scale) = units.first { text.hasSuffix($0.0) }.map { (text.dropLast($0.0.count), $0.1) } ?? (Substring(text), 1)
        guard let value = Double(number), value.isFinite else { return nil }
        let milliseconds = value * scale * 1000
        guard milliseconds >= 1, milliseconds <= 366 * 86_400_000 else { return nil }
        duration = .milliseconds(Int64(milliseconds))
    }
}
