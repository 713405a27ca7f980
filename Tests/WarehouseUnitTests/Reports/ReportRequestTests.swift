import Testing
import WarehouseKit
import WarehouseTestSupport

@Suite("Report: request validation", .blockingWork)
struct ReportRequestTests {
    @Test("as-of dates: only real days written YYYY-MM-DD")
    func dates() {
        for good in ["2023-12-10", "2024-02-29", "2000-02-29", "1999-12-31"] { #expect(CivilDate(iso: good)?.description == good) }
        for bad in ["2023-02-29", "1900-02-29", "2023-13-01", "2023-00-10", "2023-12-32", "2023-2-1", "20231210",
                    "2023/12/10", "today", "", " 2023-12-10", "+202-12-10", "2023-12-1 "] {
            #expect(CivilDate(iso: bad) == nil, "\(bad)")
        }
    }

    @Test("days, limit and window rules")
    func rules() throws {
        #expect(throws: ReportError.daysOutOfRange(0)) { try ReportRequest(kind: .topCustomers, days: 0) }
        #expect(throws: ReportError.daysOutOfRange(-3)) { try ReportRequest(kind: .topCustomers, days: -3) }
        #expect(throws: ReportError.daysOutOfRange(36_526)) { try ReportRequest(kind: .topCustomers, days: 36_526) }
        #expect(throws: ReportError.limitOutOfRange(0)) { try ReportRequest(kind: .totalOrders, limit: .rows(0)) }
        #expect(throws: ReportError.windowNotApplicable(.totalOrders)) { try ReportRequest(kind: .totalOrders, days: 7) }
        #expect(throws: ReportError.windowNotApplicable(.mostRecentOrder)) {
            try ReportRequest(kind: .mostRecentOrder, asOf: CivilDate(iso: "2023-12-10"))
        }
        #expect(try ReportRequest(kind: .topCustomers).rowLimit == 10)
        #expect(try ReportRequest(kind: .topCustomers).days == 7)
        #expect(try ReportRequest(kind: .topCustomers, limit: .all).rowLimit == nil)
        #expect(try ReportRequest(kind: .totalOrders).rowLimit == nil)
        #expect(try ReportRequest(kind: .mostRecentOrder, limit: .rows(3)).rowLimit == 3)
    }
}
