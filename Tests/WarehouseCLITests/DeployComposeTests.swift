import Foundation
import Testing
import WarehouseTestSupport

/// docker-compose.yml and the Dockerfile, checked as far as a machine without a Docker daemon
/// can: the YAML parses, every command it runs or shows parses with the CLI, the dashboard is
/// published on 127.0.0.1 only, secrets reach the tool as files it can read, and no password
/// is ever part of a URL. (The entry point itself runs in ExternalPostgresTests.)
@Suite("Deploy: docker-compose.yml", .blockingWork)
struct DeployComposeTests {
    let services: [String: [String: Any]]
    let document: [String: Any]

    init() throws {
        document = try #require(try DeployCommands.yaml("docker-compose.yml") as? [String: Any])
        services = try #require(document["services"] as? [String: [String: Any]])
    }

    /// The services that run the tool's image.
    var toolServices: [(String, [String: Any])] {
        services.filter { ($0.value["image"] as? String)?.hasPrefix("warehouse") == true }.sorted { $0.key < $1.key }
    }

    @Test func theServicesAnOperatorNeedsAreThere() {
        #expect(Set(services.keys).isSuperset(of: ["db", "migrate", "pull", "serve", "warehouse"]))
        #expect(toolServices.count == 4)
    }

    @Test func everyCommandTheServicesRunParses() throws {
        for (name, service) in toolServices {
            if let command = service["command"] as? [String] {
                #expect(DeployCommands.refusal(command) == nil, "service \(name): warehouse \(command.joined(separator: " "))")
                // A secret the command reads must be mounted in that service.
                let mounted = Set(service["secrets"] as? [String] ?? [])
                for path in command where path.hasPrefix("/run/secrets/") {
                    #expect(mounted.contains(String(path.dropFirst("/run/secrets/".count))), "service \(name) reads \(path) but does not mount it")
                }
            }
            if let healthcheck = service["healthcheck"] as? [String: Any], let test = healthcheck["test"] as? [String],
               test.count > 2, test[1] == "warehouse-entrypoint" {
                let arguments = Array(test.dropFirst(2))
                #expect(DeployCommands.refusal(arguments) == nil, "service \(name)'s health check: \(arguments)")
            }
        }
    }

    @Test func everyCommandTheCommentsShowParses() throws {
        var shown = 0
        let comments = try DeployCommands.text("docker-compose.yml").split(separator: "\n").filter { $0.hasPrefix("#") }
        for line in comments.flatMap({ $0.dropFirst().split(separator: "&&") }) {
            let words = DeployCommands.words(line)
            guard let run = words.firstIndex(of: "run"), words.prefix(run).suffix(2) == ["docker", "compose"] else { continue }
            // docker compose run [--rm] [-T] SERVICE ARGS…
            var index = run + 1
            while index < words.count, words[index].hasPrefix("-") { index += 1 }
            guard index < words.count, let service = services[words[index]] else {
                Issue.record("`\(line)` runs a service the file does not define")
                continue
            }
            #expect((service["image"] as? String)?.hasPrefix("warehouse") == true)
            let arguments = Array(words[(index + 1)...])
            #expect(DeployCommands.refusal(arguments) == nil, "`\(line)`: \(DeployCommands.refusal(arguments) ?? "")")
            shown += 1
        }
        #expect(shown >= 4, "the comments show how to ingest, report, pull and check")
    }

    @Test func theDashboardIsPublishedOnLoopbackOnly() throws {
        let serve = try #require(services["serve"])
        let ports = try #require(serve["ports"] as? [String])
        #expect(!ports.isEmpty)
        for port in ports { #expect(port.hasPrefix("127.0.0.1:"), "\(port)") }
        for (name, service) in services where name != "serve" {
            #expect(service["ports"] == nil, "\(name) publishes a port")
        }
    }

    @Test func theDatabaseHealthCheckAsksOverTCP() throws {
        let healthcheck = try #require(services["db"]?["healthcheck"] as? [String: Any])
        let test = try #require(healthcheck["test"] as? [String])
        #expect(test.contains("pg_isready") && test.contains("-h"))
    }

    @Test func passwordsComeFromSecretFilesNotURLs() throws {
        let secrets = try #require(document["secrets"] as? [String: [String: Any]])
        for (name, service) in toolServices + [("db", services["db"] ?? [:])] {
            let environment = service["environment"] as? [String: Any] ?? [:]
            let mounted = Set(service["secrets"] as? [String] ?? [])
            if let url = environment["DATABASE_URL"] as? String {
                let components = try #require(URLComponents(string: url))
                #expect(components.password == nil, "service \(name): DATABASE_URL holds a password")
            }
            let fileVariable = name == "db" ? "POSTGRES_PASSWORD_FILE" : "PGPASSWORD_FILE"
            let path = try #require(environment[fileVariable] as? String, "service \(name) has no \(fileVariable)")
            #expect(path.hasPrefix("/run/secrets/") && mounted.contains(String(path.dropFirst("/run/secrets/".count))),
                    "service \(name): \(path) is not one of its secrets")
            #expect(environment.keys.allSatisfy { $0 != "POSTGRES_PASSWORD" && $0 != "PGPASSWORD" })
        }
        // The set-up the header documents leaves every secret file readable by the containers'
        // users, who are not the file's owner (Compose mounts the file as it is).
        let header = try DeployCommands.text("docker-compose.yml").split(separator: "\n").filter { $0.hasPrefix("#") }
        for (name, secret) in secrets {
            let file = try #require(secret["file"] as? String).replacingOccurrences(of: "./", with: "")
            let chmods = header.map { DeployCommands.words($0.dropFirst()) }.filter { $0.first == "chmod" && $0.contains(file) }
            #expect(!chmods.isEmpty, "the header does not set the mode of secret \(name)")
            for words in chmods {
                let mode = try #require(Int(words[1], radix: 8), "chmod \(words[1])")
                #expect(mode & 0o004 != 0, "chmod \(words[1]) \(file): the containers' users could not read it")
            }
        }
    }

    @Test func theImageRunsTheEntryPointAsAnUnprivilegedUser() throws {
        let dockerfile = try DeployCommands.text("Dockerfile")
        #expect(dockerfile.contains("deploy/docker/entrypoint.sh /usr/local/bin/warehouse-entrypoint"))
        #expect(dockerfile.contains(#"ENTRYPOINT ["warehouse-entrypoint"]"#))
        #expect(dockerfile.contains("USER warehouse"))
        // serve's health check runs curl inside the image.
        #expect(dockerfile.contains(" curl "))
    }
}
