/// What `warehouse generate` is asked to produce.
public struct GeneratorOptions: Sendable, Equatable {
    /// The last day of the default range: the sample's last day.
    public static let defaultEnd = CivilDate(year: 2023, month: 12, day: 9)!
    /// The default range is this many days ending at `end` (2023-06-13 … 2023-12-09).
    public static let defaultSpanDays = 180
    /// The first order id, as in the supplier's sample.
    public static let firstOrderId = 100
    /// Share of earlier orders a daily snapshot changes.
    public static let defaultChangeRate = 0.005
    /// Share of earlier orders each new daily snapshot drops (cancelled upstream).
    public static let defaultRemovalRate = 0.001
    /// The largest `dirtyRate`: rejected rows and legal oddities each take this share.
    public static let maximumDirtyRate = 0.5

    /// Orders in the file (daily snapshots then add new ones each day).
    public var orders: Int
    /// Size of the customer pool; `nil` means one customer per five orders.
    public var customers: Int?
    public var seed: UInt64
    public var start: CivilDate
    public var end: CivilDate
    /// Share of orders written as a row that must be rejected; the same share again carries
    /// legal oddities that must load.
    public var dirtyRate: Double
    /// Share of earlier orders each new daily snapshot changes.
    public var changeRate: Double
    /// Share of earlier orders each new daily snapshot no longer lists; they stay out of later ones.
    public var removalRate: Double = GeneratorOptions.defaultRemovalRate

    public init(
        orders: Int, customers: Int? = nil, seed: UInt64 = 42, start: CivilDate? = nil, end: CivilDate? = nil,
        dirtyRate: Double = 0, changeRate: Double = GeneratorOptions.defaultChangeRate
    ) {
        let end = end ?? Self.defaultEnd
        self.orders = orders
        self.customers = customers
        self.seed = seed
        self.end = end
        self.start = start ?? end.adding(days: -(Self.defaultSpanDays - 1))
        self.dirtyRate = dirtyRate
        self.changeRate = changeRate
    }

    /// `customers`, or its default: one customer per five orders (the sample's ratio).
    public var customerCount: Int {
        customers ?? max(1, orders / 5)
    }

    /// Checks the options, throwing a ``GenerateError`` that names the bad one.
    public func validate() throws(GenerateError) {
        guard orders >= 1 else { throw GenerateError(.invalidOption, "--orders must be at least 1 (got \(orders))") }
        guard orders <= 1_000_000_000 else {
            throw GenerateError(.invalidOption, "--orders must be at most 1,000,000,000 (got \(orders))")
        }
        if let customers {
            guard customers >= 1 else { throw GenerateError(.invalidOption, "--customers must be at least 1 (got \(customers))") }
            guard customers <= CustomerNames.maximumCount else {
                throw GenerateError(
                    .invalidOption, "--customers must be at most \(CustomerNames.maximumCount), the number of distinct names (got \(customers))")
            }
        }
        guard start <= end else { throw GenerateError(.invalidOption, "--start \(start) is after --end \(end)") }
        guard (1...9999).contains(start.components.year), (1...9999).contains(end.components.year) else {
            throw GenerateError(.invalidOption, "dates must be in years 1…9999")
        }
        guard end.daysSinceEpoch - start.daysSinceEpoch < 100 * 366 else {
            throw GenerateError(.invalidOption, "--start … --end may span at most 100 years")
        }
        guard dirtyRate >= 0, dirtyRate <= Self.maximumDirtyRate else {
            throw GenerateError(.invalidOption, "--dirty-rate must be between 0 and \(Self.maximumDirtyRate) (got \(dirtyRate))")
        }
        guard changeRate >= 0, changeRate <= 1 else {
            throw GenerateError(.invalidOption, "the change rate must be between 0 and 1 (got \(changeRate))")
        }
    }
}
