extension JSONValue {
    /// The exact value of a JSON number literal as a plain decimal: no exponent, no leading or
    /// trailing zeros that carry no value. `1e2` → `100`, `19.990` → `19.99`, `1.5E-1` → `0.15`,
    /// `0.1` → `0.1`, `12.345` → `12.345` (validation then refuses its third decimal: nothing
    /// is rounded here, only the notation changes).
    ///
    /// A JSON number is a value, not a formatted text, so `1.50` and `1.5` are the same price.
    /// A literal with an exponent too large to write out (`1e999999`) is returned unchanged,
    /// for validation to refuse as not a decimal.
    static func plainDecimal(_ literal: String) -> String {
        let bytes = Array(literal.utf8)
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var digits: [UInt8] = []
        while index < bytes.count, isDigit(bytes[index]) {
            digits.append(bytes[index])
            index += 1
        }
        // How many of `digits` stand before the decimal point.
        var point = digits.count
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) {
                digits.append(bytes[index])
                index += 1
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentSign = 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentSign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
            }
            var exponent = 0
            while index < bytes.count, isDigit(bytes[index]) {
                exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                if exponent > maximumExponent { return literal }
                index += 1
            }
            point += exponentSign * exponent
        }
        guard index == bytes.count, !digits.isEmpty else { return literal }

        // Leading zeros move the point; trailing zeros are padded back below when they are
        // whole-number zeros and dropped when they were fractional.
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { return "0" }
        guard abs(point) <= maximumExponent else { return literal }

        var text: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        if point <= 0 {
            text += Array("0.".utf8) + Array(repeating: UInt8(ascii: "0"), count: -point) + digits
        } else if point >= digits.count {
            text += digits + Array(repeating: UInt8(ascii: "0"), count: point - digits.count)
        } else {
            text += digits[..<point] + [UInt8(ascii: ".")] + digits[point...]
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Far beyond any price, id or count; keeps a hostile `1e999999999` from allocating gigabytes.
    private static let maximumExponent = 400

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
