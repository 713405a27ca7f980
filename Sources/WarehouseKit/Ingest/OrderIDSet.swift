/// Which order_ids a load has seen, to find repeats within one file with memory that depends
/// on the id range, not the row count: a bitmap per 65,536 consecutive ids, allocated on use.
/// Supplier ids are dense, so 5M orders need about 80 pages (640 KB). Ids spread so thinly
/// that the pages would pass `pageLimit` stop the tracking; the loader then finds repeats in SQL.
struct OrderIDSet: ~Copyable {
    private static let pageBits = 16
    private static let wordsPerPage = (1 << pageBits) / 64
    private var pages: [Int64: UnsafeMutablePointer<UInt64>] = [:]
    private var lastPageNumber: Int64 = -1
    private var lastPage: UnsafeMutablePointer<UInt64>?
    private let pageLimit: Int
    /// Set once the page limit was reached: from then on nothing is tracked.
    private(set) var overflowed = false

    init(pageLimit: Int = 8_192) { self.pageLimit = pageLimit }

    deinit { for page in pages.values { page.deallocate() } }

    /// Records `id`; returns true when it was seen before.
    mutating func insert(_ id: Int64) -> Bool {
        if overflowed { return false }
        let pageNumber = id >> Int64(Self.pageBits)
        let page: UnsafeMutablePointer<UInt64>
        if pageNumber == lastPageNumber, let lastPage {
            page = lastPage
        } else if let existing = pages[pageNumber] {
            page = existing
        } else {
            guard pages.count < pageLimit else {
                overflowed = true
                return false
            }
            page = .allocate(capacity: Self.wordsPerPage)
            page.initialize(repeating: 0, count: Self.wordsPerPage)
            pages[pageNumber] = page
        }
        lastPageNumber = pageNumber
        lastPage = page
        let bit = Int(id & Int64((1 << Self.pageBits) - 1))
        let mask: UInt64 = 1 << UInt64(bit & 63)
        let word = page[bit >> 6]
        page[bit >> 6] = word | mask
        return word & mask != 0
    }
}
