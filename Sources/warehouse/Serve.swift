import ArgumentParser

extension Warehouse {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Not yet built.")
        func run() async throws { throw ValidationError("not yet built") }
    }
}
