/// One binary package of Debian's package index (one stanza of a `Packages` file), with the fields
/// the benchmarks model. It is also the baseline's value type: the plain Swift struct a user would
/// write, kept in a `[String: DebianPackage]` by name.
public struct DebianPackage: Sendable, Equatable, RealDataRow {
    public var name: String
    public var version: String
    public var architecture: String
    public var section: String
    public var priority: String
    public var maintainer: String
    /// `Installed-Size`, in KiB; nil when the stanza has none (126 of bookworm's packages).
    public var installedSize: Int?
    /// `Size` of the .deb, in bytes.
    public var size: Int
    /// `SHA256` of the .deb, as the 64 hex digits of the index.
    public var sha256: String
    /// The first line of `Description`.
    public var description: String
    /// `Depends`: of each comma-separated item, the name of its first alternative, without version
    /// constraint or architecture qualifier (`libc6 (>= 2.34) | libc6.1, python3:any` gives
    /// `["libc6", "python3"]`), in the index's order; empty when the stanza has no `Depends`.
    public var depends: [String]

    public init(name: String, version: String, architecture: String, section: String, priority: String,
                maintainer: String, installedSize: Int?, size: Int, sha256: String, description: String,
                depends: [String]) {
        self.name = name
        self.version = version
        self.architecture = architecture
        self.section = section
        self.priority = priority
        self.maintainer = maintainer
        self.installedSize = installedSize
        self.size = size
        self.sha256 = sha256
        self.description = description
        self.depends = depends
    }
}

/// Reads a `Packages` file: stanzas of `Field: value` lines separated by blank lines, a line that
/// starts with a space or tab continuing the field before it. Every line is checked; a malformed
/// one gives a `RealDataError` naming its line.
public enum DebianIndexParser {
    /// The fields the model reads, by their position in `Stanza.fields`.
    private enum Field: Int, CaseIterable {
        case package, version, architecture, section, priority, maintainer, installedSize, size, sha256, description, depends

        func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> Bool {
            switch self {
            case .package: bytes.equals(name, "Package")
            case .version: bytes.equals(name, "Version")
            case .architecture: bytes.equals(name, "Architecture")
            case .section: bytes.equals(name, "Section")
            case .priority: bytes.equals(name, "Priority")
            case .maintainer: bytes.equals(name, "Maintainer")
            case .installedSize: bytes.equals(name, "Installed-Size")
            case .size: bytes.equals(name, "Size")
            case .sha256: bytes.equals(name, "SHA256")
            case .description: bytes.equals(name, "Description")
            case .depends: bytes.equals(name, "Depends")
            }
        }

        var name: String {
            switch self {
            case .package: "Package"
            case .version: "Version"
            case .architecture: "Architecture"
            case .section: "Section"
            case .priority: "Priority"
            case .maintainer: "Maintainer"
            case .installedSize: "Installed-Size"
            case .size: "Size"
            case .sha256: "SHA256"
            case .description: "Description"
            case .depends: "Depends"
            }
        }
    }

    private struct Stanza {
        var firstLine = 0
        /// Per field: the value's bytes (of its first line) and the line it is on.
        var fields: [(range: Range<Int>, line: Int)?] = Array(repeating: nil, count: Field.allCases.count)
        /// Continuation lines of `Depends` (rare, but allowed).
        var dependsContinued: [(range: Range<Int>, line: Int)] = []
        var isEmpty = true

        mutating func reset(at line: Int) {
            firstLine = line
            for index in fields.indices { fields[index] = nil }
            dependsContinued.removeAll(keepingCapacity: true)
            isEmpty = true
        }
    }

    /// Every stanza of `text`, in order (a name may appear twice: see `DebianIndex.load`).
    public static func parse(_ text: [UInt8], file: String) throws -> [DebianPackage] {
        try text.withUnsafeBufferPointer { bytes in try parse(bytes, file: file) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> [DebianPackage] {
        var packages: [DebianPackage] = []
        packages.reserveCapacity(bytes.count / 700)
        var lines = TextLines(bytes)
        var stanza = Stanza()
        /// The field the last `Field: value` line opened (nil when the model does not read it), and
        /// whether any field is open at all (a continuation line needs one).
        var openField: Field?
        var fieldOpen = false

        func fail(_ line: Int, _ message: String) -> RealDataError { RealDataError(file: file, line: line, message) }

        while let line = lines.next() {
            let number = lines.number
            let content = bytes.trimmed(line)
            if content.isEmpty {
                if !stanza.isEmpty { packages.append(try finish(stanza, bytes, file: file)) }
                stanza.reset(at: number + 1)
                openField = nil
                fieldOpen = false
                continue
            }
            if stanza.isEmpty { stanza.firstLine = number }
            let first = bytes[line.lowerBound]
            if first == 0x20 || first == 0x09 {
                guard fieldOpen else { throw fail(number, "a continuation line (it starts with a space) with no field before it") }
                if openField == .depends { stanza.dependsContinued.append((content, number)) }
                continue
            }
            var colon = line.lowerBound
            while colon < line.upperBound && bytes[colon] != 0x3A { colon &+= 1 }
            guard colon < line.upperBound else {
                throw fail(number, "expected 'Field: value', found no colon in \(preview(bytes, line))")
            }
            let name = line.lowerBound..<colon
            guard !name.isEmpty, name.allSatisfy({ bytes[$0] > 0x20 && bytes[$0] < 0x7F }) else {
                throw fail(number, "a field name must be printable ASCII without spaces: \(preview(bytes, line))")
            }
            stanza.isEmpty = false
            fieldOpen = true
            openField = Field.allCases.first { $0.matches(bytes, name) }
            if let field = openField {
                if let earlier = stanza.fields[field.rawValue] {
                    throw fail(number, "a second \(field.name) field in the stanza (the first is on line \(earlier.line))")
                }
                stanza.fields[field.rawValue] = (bytes.trimmed(colon + 1..<line.upperBound), number)
            }
        }
        if !stanza.isEmpty { packages.append(try finish(stanza, bytes, file: file)) }
        return packages
    }

    private static func finish(_ stanza: Stanza, _ bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> DebianPackage {
        func required(_ field: Field) throws -> (range: Range<Int>, line: Int) {
            guard let value = stanza.fields[field.rawValue] else {
                throw RealDataError(file: file, line: stanza.firstLine, "the stanza that starts here has no \(field.name) field")
            }
            return value
        }
        func text(_ field: Field, allowEmpty: Bool = false) throws -> String {
            let (range, line) = try required(field)
            guard allowEmpty || !range.isEmpty else { throw RealDataError(file: file, line: line, "\(field.name) is empty") }
            guard let string = bytes.string(range) else { throw RealDataError(file: file, line: line, "\(field.name) is not UTF-8") }
            return string
        }
        let name = try text(.package)
        var installedSize: Int?
        if let (range, line) = stanza.fields[Field.installedSize.rawValue] {
            guard let value = bytes.decimal(range, maximum: Int64(Int32.max)) else {
                throw RealDataError(file: file, line: line, "Installed-Size must be a whole number of KiB below 2^31, found '\(bytes.string(range) ?? "?")'")
            }
            installedSize = Int(value)
        }
        let (sizeRange, sizeLine) = try required(.size)
        guard let size = bytes.decimal(sizeRange, maximum: Int64.max) else {
            throw RealDataError(file: file, line: sizeLine, "Size must be a whole number of bytes, found '\(bytes.string(sizeRange) ?? "?")'")
        }
        let (hashRange, hashLine) = try required(.sha256)
        guard hashRange.count == 64, hashRange.allSatisfy({ isHexDigit(bytes[$0]) }) else {
            throw RealDataError(file: file, line: hashLine, "SHA256 must be 64 hex digits, found '\(bytes.string(hashRange) ?? "?")'")
        }
        var depends: [String] = []
        if let (range, line) = stanza.fields[Field.depends.rawValue] {
            try dependencies(range, line: line, bytes, file: file, into: &depends)
            for (range, line) in stanza.dependsContinued {
                try dependencies(range, line: line, bytes, file: file, into: &depends)
            }
        }
        return DebianPackage(
            name: name, version: try text(.version), architecture: try text(.architecture),
            section: try text(.section), priority: try text(.priority), maintainer: try text(.maintainer),
            installedSize: installedSize, size: Int(size), sha256: bytes.string(hashRange)!,
            description: try text(.description, allowEmpty: true), depends: depends)
    }

    /// The first alternative's package name of every comma-separated item of a `Depends` line.
    private static func dependencies(_ range: Range<Int>, line: Int, _ bytes: UnsafeBufferPointer<UInt8>, file: String,
                                     into names: inout [String]) throws {
        var start = range.lowerBound
        while start < range.upperBound {
            var end = start
            while end < range.upperBound && bytes[end] != 0x2C { end &+= 1 }  // ','
            let item = bytes.trimmed(start..<end)
            // A trailing comma (the item continues on the next line) leaves an empty last item.
            if !item.isEmpty {
                var nameEnd = item.lowerBound
                // The name ends at a space, '(' (version), '[' (architectures), '<' (profiles), ':' (qualifier) or '|'.
                while nameEnd < item.upperBound, !endsName(bytes[nameEnd]) { nameEnd &+= 1 }
                let name = item.lowerBound..<nameEnd
                guard !name.isEmpty, let text = bytes.string(name) else {
                    throw RealDataError(file: file, line: line, "Depends has an item without a package name: '\(bytes.string(item) ?? "?")'")
                }
                names.append(text)
            } else if end < range.upperBound {
                throw RealDataError(file: file, line: line, "Depends has an empty item (two commas in a row)")
            }
            start = end &+ 1
        }
    }

    private static func endsName(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x28, 0x5B, 0x3C, 0x3A, 0x7C: true  // space, tab, ( [ < : |
        default: false
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
    }

    private static func preview(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> String {
        let shown = line.lowerBound..<min(line.upperBound, line.lowerBound + 60)
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[shown]), as: UTF8.self)
        return "'\(text)\(shown.count < line.count ? "..." : "")'"
    }
}
