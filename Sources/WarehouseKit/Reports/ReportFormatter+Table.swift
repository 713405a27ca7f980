extension ReportFormatter {
    /// psql's aligned layout, so the CLI and `psql -f sql/analysis/…` look alike:
    ///
    ///     Top customers by value, 2023-12-04 .. 2023-12-10 (7 days)
    ///
    ///      rank | customer_name | total_value | order_count
    ///     ------+---------------+-------------+-------------
    ///         1 | Alice         |      120.50 |           3
    ///     (1 row)
    ///
    /// Widths count characters (extended grapheme clusters), so accented names line up; wide
    /// East Asian characters may still be off by their extra cell, as in many terminals.
    func table(title: String, columns: [ReportColumn], rows: [[String?]], footer: String, emptyMessage: String) -> String {
        let headers = columns.map(\.name)
        let cells = rows.map { row in row.map { $0 ?? "" } }
        var widths = headers.map(\.count)
        for row in cells {
            for (index, value) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Self.displayWidth(value))
            }
        }

        var lines = [title, ""]
        lines.append(headers.enumerated().map { " " + Self.pad($1, to: widths[$0], right: false) + " " }
            .joined(separator: "|").trimmingTrailingSpaces())
        lines.append(widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+"))
        for row in cells {
            let line = row.enumerated().map { index, value in
                " " + Self.pad(value, to: widths[index], right: columns[index].type.isNumeric) + " "
            }
            lines.append(line.joined(separator: "|").trimmingTrailingSpaces())
        }
        lines.append(footer)
        if rows.isEmpty { lines.append(emptyMessage) }
        return lines.joined(separator: "\n") + "\n"
    }

    func footer(_ result: ReportResult) -> String {
        let count = result.rows.count
        var text = "(\(count) \(count == 1 ? "row" : "rows")"
        if result.isTruncated {
            text += "; more exist, raise --limit or use --limit all"
            if result.limitSplitsTie, let rank = result.rows.last?.first ?? nil {
                text += "; customers beyond the limit share rank \(rank)"
            }
        }
        return text + ")"
    }

    static func displayWidth(_ text: String) -> Int { text.replacingNewlines().count }

    static func pad(_ text: String, to width: Int, right: Bool) -> String {
        let flat = text.replacingNewlines()
        let padding = String(repeating: " ", count: max(0, width - flat.count))
        return right ? padding + flat : flat + padding
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Newlines inside a value are shown as `\n`, keeping one record per line and the grid intact.
    fileprivate func replacingNewlines() -> String {
        guard contains(where: \.isNewline) else { return self }
        var result = ""
        for character in self {
            switch character {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\r\n": result += "\\r\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
