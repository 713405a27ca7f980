import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// How a `sql/analysis` file is reduced to the one statement `warehouse report` runs.
@Suite("PsqlScript: the report files read as psql reads them", .blockingWork)
struct PsqlScriptTests {
    static let script = PsqlScript(name: "test.sql", text: #"""
        -- a comment; with a semicolon
        \if :{?as_of}
        \else
        select current_date as as_of \gset
        \endif
        select
            :'as_of'::date - 1 as window_start \gset
        \pset title 'Top: ':as_of
        \if :{?at_batch}
        select x from f_at(:'at_batch'::bigint, :'as_of'::date)
        limit nullif(:'limit', '')::bigint;
        \else
        select x from f(:'as_of'::date, :'as_of'::date)
        limit nullif(:'limit', '')::bigint;
        \endif
        \pset title
        """#)

    @Test("a set variable takes the \\if branch; its literals become parameters, reused by name")
    func ifBranch() throws {
        let sql = try Self.script.statement(variables: ["as_of": "2023-12-10", "at_batch": "3", "limit": "5"])
        #expect(sql.text == "select x from f_at($1::bigint, $2::date)\nlimit nullif($3, '')::bigint")
        #expect(sql.bindings == ["3", "2023-12-10", "5"])
    }

    @Test("an unset variable takes the \\else branch; \\gset helpers and meta-commands are dropped")
    func elseBranch() throws {
        let sql = try Self.script.statement(variables: ["as_of": "2023-12-10", "limit": ""])
        #expect(sql.text == "select x from f($1::date, $1::date)\nlimit nullif($2, '')::bigint")
        #expect(sql.bindings == ["2023-12-10", ""])
    }

    @Test("input text never becomes SQL text: a hostile value is only a binding")
    func valuesAreBound() throws {
        let hostile = "2023-12-10'); drop table x; --"
        let sql = try Self.script.statement(variables: ["as_of": hostile, "limit": ""])
        #expect(!sql.text.contains("drop"))
        #expect(sql.bindings.first == hostile)
    }

    @Test("a variable the statement needs but nobody set is refused, naming the file and line")
    func missingVariable() {
        #expect {
            _ = try Self.script.statement(variables: ["as_of": "2023-12-10"])
        } throws: { error in
            "\(error)" == "sql/analysis/test.sql:13: variable limit is used but not set"
        }
    }

    @Test("a file that does not reduce to one statement is refused")
    func oneStatement() {
        let two = PsqlScript(name: "two.sql", text: "select 1;\nselect 2;\n")
        #expect(throws: PsqlScript.Unsupported.self) { _ = try two.statement(variables: [:]) }
        let unclosed = PsqlScript(name: "open.sql", text: "\\if :{?x}\nselect 1;\n")
        #expect(throws: PsqlScript.Unsupported.self) { _ = try unclosed.statement(variables: [:]) }
        let elif = PsqlScript(name: "elif.sql", text: "\\if :{?x}\n\\elif :{?y}\n\\endif\nselect 1;\n")
        #expect(throws: PsqlScript.Unsupported.self) { _ = try elif.statement(variables: [:]) }
    }

    @Test("every shipped report file reduces to one statement for every combination of variables")
    func shippedFiles() throws {
        for kind in ReportKind.allCases {
            for atBatch in [nil, "2"] {
                var variables = ["as_of": "2023-12-10", "days": "7", "limit": "10"]
                variables["at_batch"] = atBatch
                let sql = try PsqlScript(kind).statement(variables: variables)
                #expect(sql.text.contains(atBatch == nil ? "reporting." : "_at_batch("), "\(kind)")
                #expect(!sql.text.contains(":'"), "\(kind)")
            }
        }
    }
}
