/// Why a generated row must be rejected: the reason column of the manifest.
///
/// One case per input rule (docs/input.md) (and the duplicate rule), so a test can tell
/// not only *that* an ingest rejected the right lines but also that it did so for the right
/// reason.
public enum RejectReason: String, CaseIterable, Sendable {
    /// Not a real calendar day (2023-02-30, 2023-13-01) or not `YYYY-MM-DD` at all.
    case badDate = "bad_date"
    case negativePrice = "negative_price"
    /// Blank, `N/A`, `12.5.0`, `$12.50`.
    case nonNumericPrice = "non_numeric_price"
    /// `12.345`.
    case priceTooManyDecimals = "price_too_many_decimals"
    /// Empty or only whitespace once trimmed.
    case blankCustomer = "blank_customer"
    /// `0` or negative.
    case passengersNotPositive = "passengers_not_positive"
    /// `2.5`, `two`, blank.
    case passengersNotInteger = "passengers_not_integer"
    /// Two rows with the same order_id that differ: both are rejected.
    case duplicateOrderId = "duplicate_order_id"
    /// `ORD-123`, `123.5`, blank.
    case orderIdNotInteger = "order_id_not_integer"
    /// `0` or negative.
    case orderIdNotPositive = "order_id_not_positive"
    /// More or fewer than six fields.
    case wrongFieldCount = "wrong_field_count"
}
