/// Just enough XML to read S3's answers (ListBucketResult, InitiateMultipartUploadResult,
/// CompleteMultipartUploadResult, Error): elements found by name, their text with the five
/// entities and character references decoded. Not a general parser: S3 sends neither nested
/// elements of the same name, nor CDATA, nor namespaced prefixes in these answers.
struct XMLFragment: Sendable {
    let text: Substring

    init(_ bytes: [UInt8]) {
        text = Substring(String(decoding: bytes, as: UTF8.self))
    }

    init(_ text: Substring) {
        self.text = text
    }

    /// The name of the first element (the document's root), past the declaration and comments.
    var rootName: String? {
        var rest = text
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            if after.hasPrefix("?") || after.hasPrefix("!") {
                guard let close = after.firstIndex(of: ">") else { return nil }
                rest = after[after.index(after: close)...]
                continue
            }
            let name = after.prefix { !" \t\r\n/>".contains($0) }
            return name.isEmpty ? nil : String(name)
        }
        return nil
    }

    /// The contents of each `<name>` element, in order (an empty one for `<name/>`).
    func elements(_ name: String) -> [XMLFragment] {
        var found: [XMLFragment] = []
        var rest = text
        let opening = "<" + name
        let closing = "</" + name + ">"
        while let start = rest.range(of: opening) {
            let afterName = rest[start.upperBound...]
            guard let next = afterName.first else { break }
            guard " \t\r\n/>".contains(next), let tagEnd = afterName.firstIndex(of: ">") else {
                rest = afterName  // a longer name that starts with this one
                continue
            }
            if afterName[..<tagEnd].hasSuffix("/") {
                found.append(XMLFragment(afterName[tagEnd..<tagEnd]))
                rest = afterName[afterName.index(after: tagEnd)...]
                continue
            }
            let contentStart = afterName.index(after: tagEnd)
            guard let end = afterName[contentStart...].range(of: closing) else { break }
            found.append(XMLFragment(afterName[contentStart..<end.lowerBound]))
            rest = afterName[end.upperBound...]
        }
        return found
    }

    func first(_ name: String) -> XMLFragment? { elements(name).first }

    /// The text of the first `<name>` element, decoded; nil when there is none.
    func value(_ name: String) -> String? { first(name)?.decodedText }

    /// The text, entities and character references decoded.
    var decodedText: String {
        guard text.contains("&") else { return String(text) }
        var result = ""
        var rest = text
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let entityStart = rest.index(after: ampersand)
            guard let semicolon = rest[entityStart...].firstIndex(of: ";"), rest.distance(from: entityStart, to: semicolon) <= 10 else {
                result += "&"
                rest = rest[entityStart...]
                continue
            }
            let entity = rest[entityStart..<semicolon]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let number: UInt32? = entity.hasPrefix("#x") || entity.hasPrefix("#X")
                    ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) {
                    result.unicodeScalars.append(scalar)
                } else {
                    result += "&" + entity + ";"
                }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }
}
