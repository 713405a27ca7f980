/// Distinct, realistic customer names for customer numbers `0..<maximumCount`.
///
/// Names come in tiers so that small files look like the supplier's (`Given Surname`) and large
/// ones still never repeat a name:
///
/// | tier | shape | count |
/// |---|---|---|
/// | 0 | `Given Surname`, a few decorated (see below) | given × surnames |
/// | 1 | `Given M. Surname` | × 26 |
/// | 2 | `Given M. Surname PhD` (MD, DDS, PhD, DVM, CPA) | × 26 × 5 |
///
/// Within a tier, customer numbers map to (given, surname, …) through a seeded affine
/// permutation, which is a bijection, so two customers never share a name. In tier 0, customer
/// numbers ending (mod 100) in 3, 5, 9 and 13 are decorated: `Given Surname, MD` (a comma, so the
/// field is quoted), `Given "Nick" Surname` (doubled quotes inside a quoted field),
/// `Dr. Given Surname` and `Given Surname DDS`. The decoration belongs to the customer, so the
/// same customer is spelled the same way on every row.
struct CustomerNames: Sendable {
    private struct Tier: Sendable {
        var first: Int
        var size: Int
        var multiplier: Int
        var offset: Int

        /// The tier-local customer number, scrambled by the tier's bijection.
        @inline(__always)
        func code(of customer: Int) -> Int {
            ((customer &- first) &* multiplier &+ offset) % size
        }
    }

    private enum Decoration {
        case none, commaSuffix, nickname, title, plainSuffix
    }

    /// Longest CSV field a name can need (a quoted, decorated name), for reserving room.
    static let maximumFieldLength = 96
    private static let initials = 26

    /// How many distinct names exist (about 16 million).
    static var maximumCount: Int {
        let pairs = NamePools.givenNames.count * NamePools.surnames.count
        return pairs * (1 + initials + initials * NamePools.tierSuffixes.count)
    }

    // The pools, held here so the hot path does not go through lazy global initialisation.
    private let given = NamePools.givenNames
    private let surnames = NamePools.surnames
    private let nicknames = NamePools.nicknames
    private let commaSuffixes = NamePools.commaSuffixes
    private let plainSuffixes = NamePools.plainSuffixes
    private let tierSuffixes = NamePools.tierSuffixes
    private let title = NamePools.title
    private let tier0: Tier
    private let tier1: Tier
    private let tier2: Tier

    init(seed: UInt64) {
        // Its own stream family ("NAMES" salt), apart from the per-order streams.
        var random = SeededRandom(seed: SplitMix64.mix(seed ^ 0x4E_414D_4553))
        let pairs = given.count * surnames.count
        let sizes = [pairs, pairs * Self.initials, pairs * Self.initials * tierSuffixes.count]
        var first = 0
        var tiers: [Tier] = []
        for size in sizes {
            var multiplier = Int(random.next(below: UInt64(size))) | 1
            while Self.gcd(multiplier, size) != 1 { multiplier += 2 }
            let offset = Int(random.next(below: UInt64(size)))
            tiers.append(Tier(first: first, size: size, multiplier: multiplier, offset: offset))
            first += size
        }
        (tier0, tier1, tier2) = (tiers[0], tiers[1], tiers[2])
    }

    /// Whether the CSV field for `customer` has to be quoted (a comma or a quote inside).
    func needsQuoting(customer: Int) -> Bool {
        guard customer < tier1.first else { return false }
        let decoration = Self.decoration(of: customer)
        return decoration == .commaSuffix || decoration == .nickname
    }

    /// The customer's name, unquoted (its value once a CSV reader has parsed the field).
    func name(customer: Int) -> [UInt8] {
        var raw: [UInt8] = []
        raw.appendWithCursor(room: Self.maximumFieldLength) { write(customer: customer, asField: false, to: &$0) }
        return raw
    }

    /// Writes the name of `customer`: as a CSV field (`asField`: quoted, inner quotes doubled,
    /// when it contains a comma or a quote) or as the bare value. Needs
    /// ``maximumFieldLength`` bytes of room.
    @inline(__always)
    func write(customer: Int, asField: Bool, to cursor: inout ByteCursor) {
        let space = UInt8(ascii: " ")
        if customer >= tier1.first {
            let isTier2 = customer >= tier2.first
            var code = isTier2 ? tier2.code(of: customer) : tier1.code(of: customer)
            let givenIndex = code % given.count
            code /= given.count
            let initial = code % Self.initials
            code /= Self.initials
            let surnameIndex = code % surnames.count
            given.write(givenIndex, to: &cursor)
            cursor.put(space)
            cursor.put(UInt8(ascii: "A") &+ UInt8(truncatingIfNeeded: initial))
            cursor.put(UInt8(ascii: "."))
            cursor.put(space)
            surnames.write(surnameIndex, to: &cursor)
            if isTier2 {
                cursor.put(space)
                tierSuffixes.write(code / surnames.count, to: &cursor)
            }
            return
        }
        let code = tier0.code(of: customer)
        let givenIndex = code % given.count
        let surnameIndex = code / given.count
        let decoration = Self.decoration(of: customer)
        let quoted = asField && (decoration == .commaSuffix || decoration == .nickname)
        if quoted { cursor.put(CSVField.quote) }
        if decoration == .title {
            title.write(0, to: &cursor)
            cursor.put(space)
        }
        given.write(givenIndex, to: &cursor)
        cursor.put(space)
        if decoration == .nickname {
            cursor.put(CSVField.quote)
            if quoted { cursor.put(CSVField.quote) }
            nicknames.write(surnameIndex % nicknames.count, to: &cursor)
            cursor.put(CSVField.quote)
            if quoted { cursor.put(CSVField.quote) }
            cursor.put(space)
        }
        surnames.write(surnameIndex, to: &cursor)
        switch decoration {
        case .commaSuffix:
            cursor.put(CSVField.comma)
            cursor.put(space)
            commaSuffixes.write(givenIndex % commaSuffixes.count, to: &cursor)
        case .plainSuffix:
            cursor.put(space)
            plainSuffixes.write(givenIndex % plainSuffixes.count, to: &cursor)
        case .none, .nickname, .title:
            break
        }
        if quoted { cursor.put(CSVField.quote) }
    }

    @inline(__always)
    private static func decoration(of customer: Int) -> Decoration {
        switch customer % 100 {
        case 3: .commaSuffix
        case 5: .nickname
        case 9: .title
        case 13: .plainSuffix
        default: .none
        }
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
