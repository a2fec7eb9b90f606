import Logging

/// `--name value` pairs, checked: an unknown name or a value that is not a number is an error.
struct SoakArguments {
    private var values: [String: String] = [:]

    init(_ arguments: [String]) throws {
        var remaining = arguments[...]
        while let name = remaining.popFirst() {
            guard name.hasPrefix("--"), let value = remaining.popFirst() else {
                throw SoakError("expected --name value, got \(name)")
            }
            values[String(name.dropFirst(2))] = value
        }
    }

    func string(_ name: String) throws -> String {
        guard let value = values[name] else { throw SoakError("--\(name) is required") }
        return value
    }

    func integer(_ name: String, default fallback: Int? = nil) throws -> Int {
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw SoakError("--\(name) is required")
        }
        guard let value = Int(text), value >= 0 else { throw SoakError("--\(name) must be a whole number, got \(text)") }
        return value
    }

    /// A seed: decimal, or hexadecimal after "0x".
    func unsigned(_ name: String, default fallback: UInt64) throws -> UInt64 {
        guard let text = values[name] else { return fallback }
        let value = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        guard let value else { throw SoakError("--\(name) must be a whole number (or 0x and hex digits), got \(text)") }
        return value
    }

    func double(_ name: String, default fallback: Double) throws -> Double {
        guard let text = values[name] else { return fallback }
        guard let value = Double(text), value >= 0 else { throw SoakError("--\(name) must be a number, got \(text)") }
        return value
    }

    /// Warnings and errors only by default: the library logs every cycle and refresh at info.
    static func logLevel(_ arguments: [String]) -> Logger.Level {
        guard let position = arguments.firstIndex(of: "--log-level"), position + 1 < arguments.count else { return .warning }
        return Logger.Level(rawValue: arguments[position + 1]) ?? .warning
    }
}

struct SoakError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
