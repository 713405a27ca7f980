public import Foundation

/// Where the supplier is and how to prove who we are. Each setting comes from its flag, else
/// the environment (`WAREHOUSE_SUPPLIER_URL`, `WAREHOUSE_SUPPLIER_TOKEN`), else the config
/// file `<home>/supplier.json`: `{"url": "...", "token_file": "...", "csv_url": "..."}`.
public struct SupplierConfiguration: Sendable {
    /// The API's base URL: pages come from `{baseURL}/orders`. Nil when only a CSV URL is set.
    public var baseURL: URL?
    /// A plain CSV snapshot to download instead of calling the API.
    public var csvURL: URL?
    public var token: SupplierToken?
    /// Things worth telling the user (a token file others can read, an unknown config key).
    public var warnings: [String] = []

    public init(baseURL: URL?, csvURL: URL? = nil, token: SupplierToken?) {
        self.baseURL = baseURL
        self.csvURL = csvURL
        self.token = token
    }

    public static let urlVariable = "WAREHOUSE_SUPPLIER_URL"
    public static let tokenVariable = "WAREHOUSE_SUPPLIER_TOKEN"
    public static let fileName = "supplier.json"

    /// Resolves every setting and checks that a pull can run with them: an API pull needs a URL
    /// and a token; a CSV download (`csvURL`) needs only its URL.
    /// - Throws: ``SupplierError`` `.configuration`, saying which settings were tried.
    public static func resolve(url: String?, csvURL: String?, tokenFile: String?, home: URL,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(SupplierError) -> SupplierConfiguration {
        let configPath = home.appendingPathComponent(fileName)
        let file = try ConfigFile.read(configPath)
        var configuration = SupplierConfiguration(baseURL: nil, token: nil)
        configuration.warnings = file.warnings

        if let csv = csvURL {
            configuration.csvURL = try parseURL(csv, setting: "--csv-url")
        } else if let text = url ?? environment[urlVariable].nonEmpty ?? file.url {
            configuration.baseURL = try parseURL(text, setting: "the supplier URL")
        } else if let csv = file.csvURL {
            configuration.csvURL = try parseURL(csv, setting: "csv_url in \(configPath.path)")
        } else {
            throw SupplierError(.configuration, "no supplier URL: pass --url, set \(urlVariable), "
                + "or put \"url\" in \(configPath.path)")
        }

        if let path = tokenFile {
            configuration.token = try readToken(path: path, warnings: &configuration.warnings)
        } else if let value = environment[tokenVariable].nonEmpty {
            guard let token = SupplierToken(value) else {
                throw SupplierError(.configuration, "\(tokenVariable) is not a usable token (one line, not blank)")
            }
            configuration.token = token
        } else if let path = file.tokenFile {
            // Relative to the home folder, where supplier.json itself lives.
            let resolved = path.hasPrefix("/") ? path : home.appendingPathComponent(path).standardizedFileURL.path
            configuration.token = try readToken(path: resolved, warnings: &configuration.warnings)
        }
        if configuration.baseURL != nil, configuration.token == nil {
            throw SupplierError(.configuration, "no supplier token: pass --token-file, set \(tokenVariable), "
                + "or put \"token_file\" in \(configPath.path)")
        }
        return configuration
    }

    /// The supplier's key in `ops.api_sync_state`: its URL without credentials, so that a test
    /// or staging supplier never moves the production supplier's high-water mark.
    var sourceKey: String { (baseURL ?? csvURL).map(Self.display) ?? "" }

    /// A URL as it may be shown: user and password removed, and the values of query parameters
    /// that look like credentials (a presigned download's `X-Amz-Signature`, an `access_token`)
    /// replaced by `****`.
    static func display(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "(unprintable URL)" }
        components.user = nil
        components.password = nil
        if let items = components.percentEncodedQueryItems {
            components.percentEncodedQueryItems = items.map { item in
                let name = item.name.lowercased()
                let secret = ["token", "key", "sig", "secret", "password", "credential", "auth"].contains { name.contains($0) }
                return secret && item.value != nil ? URLQueryItem(name: item.name, value: "****") : item
            }
        }
        return components.string ?? "(unprintable URL)"
    }

    private static func parseURL(_ text: String, setting: String) throws(SupplierError) -> URL {
        let trimmed = text.trimmingASCIIWhitespace()
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            throw SupplierError(.configuration, "\(setting) must be an http:// or https:// URL with a host")
        }
        return url
    }

    private static func readToken(path: String, warnings: inout [String]) throws(SupplierError) -> SupplierToken {
        let contents: String
        do {
            contents = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SupplierError(.configuration, "cannot read the token file \(path): \(error.localizedDescription)")
        }
        guard let token = SupplierToken(contents) else {
            throw SupplierError(.configuration, "the token file \(path) is empty or holds more than one line")
        }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            warnings.append("the token file \(path) can be read by other users; chmod 600 it")
        }
        return token
    }

    /// `<home>/supplier.json`, read with the same strict parser as the API's answers.
    private struct ConfigFile {
        var url: String?
        var csvURL: String?
        var tokenFile: String?
        var warnings: [String] = []

        static func read(_ path: URL) throws(SupplierError) -> ConfigFile {
            guard let data = FileManager.default.contents(atPath: path.path) else { return ConfigFile() }
            let document: JSONValue
            do {
                document = try JSONParser.parse(data)
            } catch {
                throw SupplierError(.configuration, "\(path.path): \(error)")
            }
            guard case .object(let members) = document else {
                throw SupplierError(.configuration, "\(path.path): expected a JSON object")
            }
            var file = ConfigFile()
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                guard case .string(let text) = value else {
                    throw SupplierError(.configuration, "\(path.path): \"\(key)\" must be a string, got \(value.kindName)")
                }
                switch key {
                case "url": file.url = text
                case "csv_url": file.csvURL = text
                case "token_file": file.tokenFile = text
                default: file.warnings.append("\(path.path): unknown setting \"\(key)\" ignored (known: url, csv_url, token_file)")
                }
            }
            return file
        }
    }
}

extension Optional where Wrapped == String {
    /// nil for an unset or empty environment variable alike.
    fileprivate var nonEmpty: String? {
        guard let value = self, !value.isEmpty else { return nil }
        return value
    }
}
