import Foundation

/// A rejected row's stable code, beside its reason in `ops.rejected_rows.code`: what a
/// script or a query groups by, while the reason stays worded for people (and may name the
/// value). docs/input.md lists every code.
///
/// Each rule words its reason with fixed text; the code is read from that text here, in one
/// place, with the same patterns migration 0009 used to backfill rows stored before codes
/// existed. A test feeds every rule's reason through both and finds no ``other``.
public enum RejectCode: String, CaseIterable, Sendable, Codable {
    case strayQuote = "stray_quote"
    case unclosedQuote = "unclosed_quote"
    case textAfterQuote = "text_after_quote"
    case wrongFieldCount = "wrong_field_count"
    case orderIDEmpty = "order_id_empty"
    case orderIDNotInteger = "order_id_not_integer"
    case orderIDNotPositive = "order_id_not_positive"
    case orderIDTooLarge = "order_id_too_large"
    case duplicateOrderID = "duplicate_order_id"
    case customerNameEmpty = "customer_name_empty"
    case customerNameInvalid = "customer_name_invalid"
    case customerNameTooLong = "customer_name_too_long"
    case priceEmpty = "price_empty"
    case priceNotDecimal = "price_not_decimal"
    case priceNegative = "price_negative"
    case priceTooManyDecimals = "price_too_many_decimals"
    case priceTooLarge = "price_too_large"
    case orderDateEmpty = "order_date_empty"
    case orderDateNotDate = "order_date_not_date"
    case orderDateNotReal = "order_date_not_real"
    case orderDateYearOutOfRange = "order_date_year_out_of_range"
    case productIDEmpty = "product_id_empty"
    case productIDTooLong = "product_id_too_long"
    case productIDBadCharacters = "product_id_bad_characters"
    case passengerCountEmpty = "passenger_count_empty"
    case passengerCountNotInteger = "passenger_count_not_integer"
    case passengerCountNotPositive = "passenger_count_not_positive"
    case passengerCountTooLarge = "passenger_count_too_large"
    case updatedAtInFuture = "updated_at_in_future"
    /// A reason none of the patterns knows (none of today's rules gives one).
    case other

    /// First match wins; `%` is any text, as in SQL's LIKE (migration 0009 has the same list).
    static let patterns: [(RejectCode, String)] = [
        (.strayQuote, "%(a quoted field opened on this line ran across line breaks%"),
        (.unclosedQuote, "a quoted field is never closed%"),
        (.textAfterQuote, "unexpected text after a closing quote%"),
        (.wrongFieldCount, "expected % fields, found %"),
        (.duplicateOrderID, "order_id % appears on lines % with different values%"),
        (.orderIDEmpty, "order_id is empty%"),
        (.orderIDNotPositive, "order_id must be greater than 0%"),
        (.orderIDTooLarge, "order_id is too large%"),
        (.orderIDNotInteger, "order_id is not an integer%"),
        (.customerNameEmpty, "customer_name is empty%"),
        (.customerNameInvalid, "customer_name contains a NUL byte%"),
        (.customerNameInvalid, "customer_name is not valid UTF-8%"),
        (.customerNameTooLong, "customer_name is longer than %"),
        (.priceEmpty, "price is empty%"),
        (.priceNegative, "price must not be negative%"),
        (.priceTooManyDecimals, "price has more than 2 decimals%"),
        (.priceTooLarge, "price is too large%"),
        (.priceNotDecimal, "price is not a decimal number%"),
        (.orderDateEmpty, "order_date is empty%"),
        (.orderDateNotDate, "order_date is not a YYYY-MM-DD date%"),
        (.orderDateYearOutOfRange, "order_date year % is outside the supported years%"),
        (.orderDateNotReal, "order_date is not a real calendar date%"),
        (.productIDEmpty, "product_id is empty%"),
        (.productIDTooLong, "product_id is longer than %"),
        (.productIDBadCharacters, "product_id may hold only %"),
        (.passengerCountEmpty, "passenger_count is empty%"),
        (.passengerCountNotPositive, "passenger_count must be at least 1%"),
        (.passengerCountTooLarge, "passenger_count is too large%"),
        (.passengerCountNotInteger, "passenger_count is not an integer%"),
        (.updatedAtInFuture, "updated_at % is more than % after the pull started%"),
    ]

    /// The code of a reason as the rules word it.
    public init(reason: String) {
        self = Self.patterns.first { Self.like(reason, $0.1) }?.0 ?? .other
    }

    /// SQL LIKE with `%` only (no `_`, no escapes): enough for the fixed texts above.
    static func like(_ text: String, _ pattern: String) -> Bool {
        let parts = pattern.split(separator: "%", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(text)
        for (index, part) in parts.enumerated() {
            if index == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if index == parts.count - 1 {
                return part.isEmpty || rest.hasSuffix(part)
            } else if !part.isEmpty {
                guard let range = rest.range(of: part) else { return false }
                rest = rest[range.upperBound...]
            }
        }
        return rest.isEmpty
    }
}
