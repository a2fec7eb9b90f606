/// The profiles of an AWS shared credentials file (`~/.aws/credentials`): INI sections `[name]`
/// of `key = value` lines; `#` and `;` start comments; indented lines (nested settings of the
/// config file's style) are skipped. Keys are case-insensitive; a value may hold `=`.
struct SharedCredentialsFile: Sendable, Equatable {
    var profiles: [String: [String: String]]

    init(parsing text: String, path: String) throws(S3CredentialsError) {
        profiles = [:]
        var current: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            if let first = line.first, first == " " || first == "\t" { continue }
            let content = line.trimmingWhitespace
            if content.isEmpty || content.hasPrefix("#") || content.hasPrefix(";") { continue }
            if content.hasPrefix("[") {
                guard content.hasSuffix("]") else {
                    throw .malformed(path: path, line: lineNumber, reason: "a section header without its closing ']'")
                }
                var name = content.dropFirst().dropLast().trimmingWhitespace
                // The config file's spelling, `[profile name]`, is taken too.
                if name.hasPrefix("profile ") { name = name.dropFirst("profile ".count).trimmingWhitespace }
                guard !name.isEmpty else { throw .malformed(path: path, line: lineNumber, reason: "a section without a name") }
                current = String(name)
                if profiles[String(name)] == nil { profiles[String(name)] = [:] }
                continue
            }
            guard let equals = content.firstIndex(of: "=") else {
                throw .malformed(path: path, line: lineNumber, reason: "neither '[profile]' nor 'key = value'")
            }
            guard let profile = current else {
                throw .malformed(path: path, line: lineNumber, reason: "a setting before any [profile] line")
            }
            let key = content[..<equals].trimmingWhitespace.lowercased()
            guard !key.isEmpty else { throw .malformed(path: path, line: lineNumber, reason: "a setting without a name") }
            profiles[profile]![key] = String(content[content.index(after: equals)...].trimmingWhitespace)
        }
    }
}

extension Substring {
    var trimmingWhitespace: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
