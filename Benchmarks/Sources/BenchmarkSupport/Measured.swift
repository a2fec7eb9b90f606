import Benchmark
import CatalogFixture

/// The clock of the measured regions.
public let clock = ContinuousClock()

public func nanoseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000)
}

/// Runs `body` between `startMeasurement()` and `stopMeasurement()`; returns its wall and thread
/// CPU time in nanoseconds (the CPU time does not count what other processes took of the core).
@inline(__always)
public func measured<T>(_ benchmark: Benchmark, _ body: () throws -> T) rethrows -> (result: T, wall: Int, cpu: Int) {
    benchmark.startMeasurement()
    let cpuStart = threadCPUNanoseconds()
    let start = clock.now
    let result = try body()
    let wall = nanoseconds(clock.now - start)
    let cpu = threadCPUNanoseconds() - cpuStart
    benchmark.stopMeasurement()
    return (result, wall, cpu)
}
