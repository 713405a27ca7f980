/// Every version an order has had (migration 0008's `warehouse.order_versions`), oldest first,
/// with the batch that made each one and the batch that replaced or removed it, and when those
/// loads finished.
public enum OrderHistory {
    public static let columns: [ReportColumn] = [
        .init("order_id", .integer), .init("version", .integer), .init("customer_name", .text),
        .init("product_id", .text), .init("order_date", .date), .init("price", .decimal),
        .init("passenger_count", .integer), .init("made_by_batch", .integer), .init("made_at", .text),
        .init("ended_by_batch", .integer), .init("ended", .text), .init("ended_at", .text),
    ]

    /// The versions of `orderIDs`, by order then oldest first; an order never loaded has none.
    public static func versions(of orderIDs: [Int64], on connection: PostgresConnection) throws -> [[String?]] {
        let result = try connection.execute("""
            select v.order_id,
                   row_number() over (partition by v.order_id order by v.valid_from_batch_id) as version,
                   c.customer_name, p.product_id, v.order_date, v.price, v.passenger_count,
                   v.valid_from_batch_id as made_by_batch,
                   to_char(made.finished_at, 'YYYY-MM-DD HH24:MI:SS') as made_at,
                   v.valid_to_batch_id as ended_by_batch,
                   coalesce(v.ended_by, 'current') as ended,
                   to_char(ended.finished_at, 'YYYY-MM-DD HH24:MI:SS') as ended_at
            from warehouse.order_versions as v
            join warehouse.dim_customers as c using (customer_key)
            join warehouse.dim_products as p using (product_key)
            left join ops.load_batches as made on made.batch_id = v.valid_from_batch_id
            left join ops.load_batches as ended on ended.batch_id = v.valid_to_batch_id
            where v.order_id = any(\(orderIDs.map { Int($0) })::bigint[])
            order by v.order_id, v.valid_from_batch_id
            """)
        return (0..<result.rowCount).map { row in (0..<result.columnCount).map { result.string(row, $0) } }
    }
}
