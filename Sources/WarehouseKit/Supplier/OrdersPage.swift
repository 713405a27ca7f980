import Foundation

/// One page of `GET /orders`: `{"orders": [...], "next_cursor": "..." | null}`.
/// Members the contract does not name are ignored, so the supplier can add fields freely.
struct OrdersPage: Sendable {
    let orders: [SupplierOrder]
    /// The cursor of the next page; nil on the last one.
    let nextCursor: String?

    /// - Parameter page: the page number, for messages.
    /// - Throws: ``SupplierError`` `.malformedResponse` (not JSON, truncated) or `.contract`
    ///   (a missing or mistyped member).
    static func decode(_ body: Data, page: Int) throws(SupplierError) -> OrdersPage {
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw SupplierError(.malformedResponse, "page \(page): \(error)")
        }
        guard case .object = document else {
            throw SupplierError(.contract, "page \(page): expected a JSON object, got \(document.kindName)")
        }
        guard let list = document["orders"] else {
            throw SupplierError(.contract, "page \(page): missing member \"orders\"")
        }
        guard case .array(let items) = list else {
            throw SupplierError(.contract, "page \(page): \"orders\" must be an array, got \(list.kindName)")
        }
        let cursor: String?
        switch document["next_cursor"] {
        case nil:
            throw SupplierError(.contract, "page \(page): missing member \"next_cursor\" (null on the last page)")
        case .null?:
            cursor = nil
        case .string(let text)? where !text.isEmpty:
            cursor = text
        case let other?:
            throw SupplierError(.contract, "page \(page): \"next_cursor\" must be a non-empty string or null, got \(other.kindName)")
        }
        var orders: [SupplierOrder] = []
        orders.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            orders.append(try SupplierOrder(json: item, position: "page \(page), order \(index + 1)"))
        }
        return OrdersPage(orders: orders, nextCursor: cursor)
    }
}
