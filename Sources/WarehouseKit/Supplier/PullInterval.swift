/// A schedule's period as people write it: `90s`, `30m`, `24h`, `1d`, `1h30m`.
public struct PullInterval: Sendable, Equatable, CustomStringConvertible {
    public let seconds: Int

    public var duration: Duration { .seconds(seconds) }

    /// - Returns: nil unless the text is one or more `<whole number><unit>` parts (units s, m,
    ///   h, d, each at most once, largest first) adding up to at least one second.
    public init?(_ text: String) {
        let units: [(Character, Int)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        var total = 0
        var digits = ""
        var nextUnit = 0
        for character in text.lowercased() where character != " " {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            guard !digits.isEmpty, let number = Int(digits),
                  let position = units[nextUnit...].firstIndex(where: { $0.0 == character }) else { return nil }
            let (sum, overflow) = number.multipliedReportingOverflow(by: units[position].1)
            guard !overflow, total <= Int.max - sum else { return nil }
            total += sum
            digits = ""
            nextUnit = position + 1
        }
        guard digits.isEmpty, total >= 1 else { return nil }
        seconds = total
    }

    public init(seconds: Int) { self.seconds = max(1, seconds) }

    /// The canonical spelling: `1d`, `1h30m`, `45s`.
    public var description: String {
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
