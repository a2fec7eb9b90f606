import Foundation
import Logging

/// Library logs go to standard error when `HOLLOW_LOG_LEVEL` (trace, debug, info, notice, warning,
/// error) asks for them: by default the tool reports what went wrong itself, once.
enum ToolLogging {
    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: "hollow.\(label)") { StreamLogHandler.standardError(label: $0) }
        let level = ProcessInfo.processInfo.environment["HOLLOW_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .critical
        return logger
    }
}
