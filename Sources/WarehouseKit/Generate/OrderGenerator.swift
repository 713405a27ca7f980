/// Generates order files in the supplier's CSV format, deterministically from a seed.
///
/// Every order is a pure function of `(seed, order_id)`: its own ``SeededRandom`` stream picks
/// the customer (a power law, so a few customers order often), the product, the passengers,
/// the price and the day. Nothing about earlier orders is remembered, so a file of any size is
/// written in one streaming pass with flat memory, and daily snapshots can rebuild any earlier
/// order exactly (see `OrderGenerator+Snapshots.swift`).
///
/// ```swift
/// let generator = try OrderGenerator(options: GeneratorOptions(orders: 1_000, seed: 7))
/// let summary = try generator.write(to: FileSink(path: "orders.csv"))
/// ```
public struct OrderGenerator: Sendable {
    /// The most daily snapshots one generator writes (a year of them).
    public static let maximumSnapshots = 366

    public let options: GeneratorOptions
    let context: RowContext
    private let customerCount: Int
    /// `sqrt(customers + 1) - 1`: see ``pickCustomer(using:)``.
    private let customerSpan: Double
    private let changeSeed: UInt64
    private let changeCut: UInt64
    private let removalCut: UInt64
    /// The calendar offset of `options.end`.
    let endOffset: Int
    /// Sum of the day weights over `start...end`, to size each snapshot day's new orders.
    private let rangeWeight: UInt64

    /// Prepares a generator; throws ``GenerateError`` when the options are invalid.
    public init(options: GeneratorOptions) throws(GenerateError) {
        try options.validate()
        self.options = options
        let calendar = OrderCalendar(start: options.start, end: options.end, extraDays: Self.maximumSnapshots)
        context = RowContext(names: CustomerNames(seed: options.seed), catalog: ProductCatalog(), calendar: calendar)
        customerCount = options.customerCount
        customerSpan = (Double(customerCount) + 1).squareRoot() - 1
        changeSeed = SplitMix64.mix(options.seed ^ 0x4348_414E_4745)  // "CHANGE"
        changeCut = SeededRandom.Threshold(options.changeRate).value
        removalCut = SeededRandom.Threshold(options.removalRate).value
        endOffset = options.end.daysSinceEpoch - options.start.daysSinceEpoch
        rangeWeight = calendar.totalWeight
    }

    /// Writes the file of `options.orders` orders over `start...end`, and, when `manifest` is
    /// given, the lines that must be rejected (`line<TAB>reason`). Neither sink is closed.
    public func write(to output: any ByteSink, manifest: (any ByteSink)? = nil) throws -> GenerateSummary {
        try writeSnapshot(number: 1, to: output, manifest: manifest)
    }

    /// The name of customer number `customer` (0 is the most active), as it is after CSV parsing.
    public func customerName(_ customer: Int) -> String {
        String(decoding: context.names.name(customer: customer), as: UTF8.self)
    }

    // MARK: - Orders

    /// Order `orderId` as first written: on a day drawn from the calendar, or on `day`.
    @inline(__always)
    func record(orderId: Int, day: Int? = nil) -> OrderRecord {
        var random = SeededRandom(seed: options.seed, stream: UInt64(orderId))
        let customer = pickCustomer(using: &random)
        let product = context.catalog.pickProduct(using: &random)
        let passengers = context.catalog.pickPassengers(using: &random)
        let cents = context.catalog.pickPrice(product: product, passengers: passengers, using: &random)
        let drawnDay = day ?? context.calendar.pickDay(using: &random)
        return OrderRecord(
            orderId: orderId, customer: customer, cents: cents, day: drawnDay, product: product, passengers: passengers)
    }

    /// A customer number with P(k) ∝ √(k+2) − √(k+1): a power law with exponent ½, so
    /// the top 1 % of customers place about a tenth of the orders.
    ///
    /// Inverse transform of one uniform draw with `sqrt` and basic arithmetic only, all of
    /// which IEEE 754 rounds exactly, so the pick is the same on every machine.
    @inline(__always)
    private func pickCustomer(using random: inout SeededRandom) -> Int {
        let x = 1 + customerSpan * random.unit()
        return min(Int(x * x) - 1, customerCount - 1)
    }

    /// How many new orders the snapshot days add for day `end + dayAfterEnd`: the average
    /// daily volume of the range, scaled by that day's weekday and season (at least one).
    func newOrders(dayAfterEnd: Int) -> Int {
        let weight = OrderCalendar.weight(of: options.end.adding(days: dayAfterEnd))
        let scaled = (UInt64(options.orders) * weight + rangeWeight / 2) / rangeWeight
        return max(1, Int(scaled))
    }

    // MARK: - Changes between snapshots

    /// Applies the changes snapshots `firstStep...lastStep` make to an order, in order, and
    /// says whether `lastStep` itself changed it.
    @inline(__always)
    func applyChanges(to record: inout OrderRecord, steps: ClosedRange<Int>) -> Bool {
        guard changeCut > 0 else { return false }
        let orderHash = SplitMix64.mix(changeSeed ^ UInt64(record.orderId))
        var changedLast = false
        for step in steps {
            let hash = SplitMix64.mix(orderHash &+ UInt64(step) &* 0x9E37_79B9_7F4A_7C15)
            if hash < changeCut {
                var random = SeededRandom(seed: hash)
                change(&record, latestDay: endOffset + step - 1, using: &random)
                changedLast = step == steps.upperBound
            }
        }
        return changedLast
    }

    /// Whether one of snapshots `steps` dropped the order (a cancellation: it stays dropped).
    @inline(__always)
    func isRemoved(orderId: Int, steps: ClosedRange<Int>) -> Bool {
        guard removalCut > 0 else { return false }
        let orderHash = SplitMix64.mix(changeSeed ^ 0x5245_4D4F_5645 ^ UInt64(orderId))  // "REMOVE"
        return steps.contains { SplitMix64.mix(orderHash &+ UInt64($0) &* 0x9E37_79B9_7F4A_7C15) < removalCut }
    }

    /// One correction by the supplier: a new price, customer, date or product.
    private func change(_ record: inout OrderRecord, latestDay: Int, using random: inout SeededRandom) {
        let catalog = context.catalog
        switch random.next(below: 4) {
        case 1 where customerCount > 1:
            let previous = record.customer
            record.customer = pickCustomer(using: &random)
            if record.customer == previous { record.customer = (previous + 1) % customerCount }
            return
        case 2 where latestDay > 0:
            let previous = record.day
            let shift = 1 + Int(random.next(below: 10))
            record.day = random.next(below: 2) == 0 ? previous - shift : previous + shift
            record.day = min(max(record.day, 0), latestDay)
            if record.day == previous { record.day = previous == 0 ? 1 : previous - 1 }
            return
        case 3:
            record.product = (record.product + 1 + Int(random.next(below: UInt64(catalog.count - 1)))) % catalog.count
            record.cents = catalog.pickPrice(product: record.product, passengers: record.passengers, using: &random)
            return
        default:
            break
        }
        // A new price (also the fallback when the drawn change is impossible).
        let previous = record.cents
        record.cents = catalog.pickPrice(product: record.product, passengers: record.passengers, using: &random)
        if record.cents == previous { record.cents += 1 }
    }
}
