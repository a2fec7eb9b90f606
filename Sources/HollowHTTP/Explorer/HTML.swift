import Foundation

/// HTML text built by escaping everything that comes from a dataset: record data is untrusted.
enum HTML {
    /// `text` for element content and double-quoted attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default:
                // Controls other than tab and newline would be invisible or refused by a parser.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" || scalar.value == 0x7F {
                    escaped += "&#xFFFD;"
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }

    /// `text` as one path segment of a URL: every byte but ASCII letters, digits and `-._~`
    /// percent-encoded.
    static func pathSegment(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `text` as a name or value of a query string: every byte but ASCII letters, digits and
    /// `-._~` percent-encoded (a space too, so that `+` stays a plus).
    static func queryComponent(_ text: String) -> String { pathSegment(text) }

    /// Text longer than `limit` characters cut there, saying how much was left out (escaped).
    static func escape(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return escape(text) }
        return escape(String(text.prefix(limit))) + "<span class=\"null\">… (\(text.count - limit) more characters)</span>"
    }

    /// A whole page: `title` (escaped here) over `body` (already HTML); `home` is the explorer's path.
    static func page(title: String, body: String, home: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; }
        th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        .null { color: #888; font-style: italic; }
        nav a { margin-right: 1rem; }
        </style></head>
        <body><nav><a href="\(escape(home))">dataset</a></nav>
        <h1>\(escape(title))</h1>
        \(body)
        </body></html>
        """
    }
}
