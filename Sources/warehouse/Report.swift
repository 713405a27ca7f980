import ArgumentParser

extension Warehouse {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Not yet built.")
        func run() async throws { throw ValidationError("not yet built") }
    }
}
