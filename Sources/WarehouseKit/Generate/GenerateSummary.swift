/// What one generated file holds: enough for a test or a benchmark to know what a correct
/// ingest must report for it.
public struct GenerateSummary: Sendable, Equatable {
    /// Distinct order ids in the file (from `firstOrderId...lastOrderId`, less the removed ones).
    public var orders: Int
    public var firstOrderId: Int
    public var lastOrderId: Int
    /// CSV records after the header, duplicates included.
    public var records: Int
    /// Physical lines, header included (records can span lines).
    public var lines: Int
    /// Records that break a rule and must be rejected (the manifest's lines).
    public var rejectedRecords: Int
    /// Order ids with at least one rejected record: a correct load holds `orders - rejectedOrders`.
    public var rejectedOrders: Int
    /// Orders written with a legal oddity (they must load; an exact duplicate counts once).
    public var oddRecords: Int
    /// In a daily snapshot, earlier orders changed since the previous day's snapshot.
    public var changedOrders: Int
    /// In a daily snapshot, earlier orders the previous day's snapshot listed and this one drops.
    public var removedOrders: Int = 0
    /// Bytes of CSV written (before compression).
    public var bytes: Int

    public init() {
        orders = 0
        firstOrderId = GeneratorOptions.firstOrderId
        lastOrderId = GeneratorOptions.firstOrderId - 1
        records = 0
        lines = 0
        rejectedRecords = 0
        rejectedOrders = 0
        oddRecords = 0
        changedOrders = 0
        bytes = 0
    }

    /// Orders a correct load of this file keeps.
    public var loadableOrders: Int { orders - rejectedOrders }
}
