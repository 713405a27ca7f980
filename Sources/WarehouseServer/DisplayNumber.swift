/// Numbers as people read them: thousands grouped, money with exactly two decimals.
///
/// Works on PostgreSQL's text (`1234567.5`, `-0.25`) rather than on `Double`, so a revenue of
/// 12345678901234.10 is shown as exactly that, not as its nearest binary fraction.
enum DisplayNumber {
    /// `1234567` -> `1,234,567`. Text that is not an integer is returned unchanged.
    static func integer(_ text: String) -> String {
        let (sign, digits) = splitSign(text)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return text }
        return sign + group(digits)
    }

    /// `1234.5` -> `1,234.50`; always `places` decimals, rounded half away from zero when the
    /// value has more. Text that is not a plain decimal (e.g. `NaN`) is returned unchanged.
    static func decimal(_ text: String, places: Int = 2) -> String {
        let (sign, unsigned) = splitSign(text)
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var whole = String(parts.first ?? "")
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        guard !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit) else { return text }
        if fraction.count > places {
            let roundUp = fraction[fraction.index(fraction.startIndex, offsetBy: places)] >= "5"
            fraction = String(fraction.prefix(places))
            if roundUp { (whole, fraction) = increment(whole, fraction) }
        }
        fraction += String(repeating: "0", count: places - fraction.count)
        let isZero = whole.allSatisfy { $0 == "0" } && fraction.allSatisfy { $0 == "0" }
        return (isZero ? "" : sign) + group(whole) + (places > 0 ? "." + fraction : "")
    }

    /// The change from `previous` to `current` in percent, e.g. `+12.5%`, `-3.0%`, `±0.0%`;
    /// `nil` when there is nothing to compare with (previous is zero or not a number).
    static func percentChange(current: String, previous: String) -> String? {
        guard let now = Double(current), let before = Double(previous), before != 0 else { return nil }
        let change = (now - before) / before * 100
        let rounded = (change * 10).rounded() / 10
        if rounded == 0 { return "±0.0%" }
        let magnitude = abs(rounded)
        let text = magnitude >= 1000 ? integer(String(Int(magnitude))) : String(format1(magnitude))
        return (rounded > 0 ? "+" : "-") + text + "%"
    }

    /// One decimal without Foundation's locale-dependent formatting.
    static func format1(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func splitSign(_ text: String) -> (String, Substring) {
        text.hasPrefix("-") ? ("-", text.dropFirst()) : ("", Substring(text))
    }

    private static func group<S: StringProtocol>(_ digits: S) -> String {
        var trimmed = Substring(digits).drop { $0 == "0" }
        if trimmed.isEmpty { trimmed = "0" }
        var out = ""
        for (index, digit) in trimmed.enumerated() {
            if index > 0, (trimmed.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// Adds one unit in the last decimal place: `9.99` -> `10.00`.
    private static func increment(_ whole: String, _ fraction: String) -> (String, String) {
        var digits = Array(whole + fraction)
        var index = digits.count - 1
        while index >= 0 {
            if digits[index] == "9" {
                digits[index] = "0"
                index -= 1
            } else {
                digits[index] = Character(String(digits[index].wholeNumberValue! + 1))
                break
            }
        }
        if index < 0 { digits.insert("1", at: 0) }
        let split = digits.count - fraction.count
        return (String(digits[..<split]), String(digits[split...]))
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
