/// Reads numbers straight from COPY text bytes, without making a `String` per value.
///
/// PostgreSQL writes integers as plain decimal digits and `numeric(p, 2)` as `123.45`, so the
/// grammar here is exactly that: an optional minus sign, digits, and for money a fraction.
enum CopyNumber {
    /// `-123` → -123; `nil` for anything else, including overflow.
    static func int64(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            // Accumulate negatively so Int64.min parses too.
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        return value == Int64.min ? nil : -value
    }

    /// A decimal amount as whole hundredths, exactly: `12.3` → 1230, `-0.05` → -5, `7` → 700.
    /// `nil` when it has more than two significant decimals (`0.125`) or does not fit.
    static func cents(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else {
            return int64(bytes).flatMap { multiply($0, by: 100) }
        }
        let wholeBytes = UnsafeRawBufferPointer(rebasing: bytes[..<dot])
        let fraction = UnsafeRawBufferPointer(rebasing: bytes[(dot + 1)...])
        let negative = wholeBytes.first == UInt8(ascii: "-")
        // "-.5" and ".5" are not what PostgreSQL writes, but cost nothing to accept.
        let whole: Int64
        if wholeBytes.count == (negative ? 1 : 0) {
            whole = 0
        } else {
            guard let parsed = int64(wholeBytes) else { return nil }
            whole = parsed
        }
        var hundredths: Int64 = 0
        for (position, byte) in fraction.enumerated() {
            let digit = byte &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            switch position {
            case 0: hundredths += Int64(digit) * 10
            case 1: hundredths += Int64(digit)
            default: guard digit == 0 else { return nil }  // 1.230 is fine, 1.235 is not
            }
        }
        guard let scaled = multiply(whole, by: 100) else { return nil }
        let (total, overflow) = negative
            ? scaled.subtractingReportingOverflow(hundredths)
            : scaled.addingReportingOverflow(hundredths)
        return overflow ? nil : total
    }

    private static func multiply(_ value: Int64, by factor: Int64) -> Int64? {
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }
}
