/// The four services the supplier sells, how often each is bought and what it costs.
///
/// Prices are drawn in whole cents, so they never have more than two decimals. Fast track and
/// lounge access are sold per passenger; a transfer or a parking stay is priced per booking.
struct ProductCatalog: Sendable {
    struct Product: Sendable {
        /// The canonical id, as the supplier writes it (`fast_track`).
        var id: String
        /// Relative share of orders.
        var weight: UInt64
        /// Price range in cents, per booking or per passenger.
        var cents: ClosedRange<Int>
        var perPassenger: Bool
        /// Spellings that normalise to `id` (lower-cased, `-` and spaces to `_`).
        var variants: [String]
    }

    static let products: [Product] = [
        Product(id: "transfer", weight: 34, cents: 2_500...12_000, perPassenger: false,
                variants: ["Transfer", "TRANSFER"]),
        Product(id: "parking", weight: 26, cents: 800...9_500, perPassenger: false,
                variants: ["Parking", "PARKING"]),
        Product(id: "fast_track", weight: 22, cents: 599...2_499, perPassenger: true,
                variants: ["fast-track", "Fast Track", "FAST_TRACK", "Fast-Track"]),
        Product(id: "lounge", weight: 18, cents: 2_500...6_500, perPassenger: true,
                variants: ["Lounge", "LOUNGE"]),
    ]

    /// Passenger counts 1…6, weighted toward couples and people travelling alone.
    static let passengerWeights: [UInt64] = [32, 34, 14, 12, 5, 3]

    let ids: ByteTable
    let productTable: WeightedTable
    let passengerTable: WeightedTable

    init() {
        ids = ByteTable(Self.products.map(\.id))
        productTable = WeightedTable(weights: Self.products.map(\.weight))
        passengerTable = WeightedTable(weights: Self.passengerWeights)
    }

    var count: Int { Self.products.count }

    @inline(__always)
    func pickProduct(using random: inout SeededRandom) -> Int {
        productTable.pick(using: &random)
    }

    @inline(__always)
    func pickPassengers(using random: inout SeededRandom) -> Int {
        passengerTable.pick(using: &random) + 1
    }

    /// A price in cents for `product` booked for `passengers` people.
    @inline(__always)
    func pickPrice(product: Int, passengers: Int, using random: inout SeededRandom) -> Int {
        let info = Self.products[product]
        let unit = random.int(in: info.cents)
        return info.perPassenger ? unit * passengers : unit
    }
}
