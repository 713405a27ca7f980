import Foundation

/// Parses `--stale-after`: `36h`, `90m`, `2d`, or a bare number of hours.
public enum StaleThreshold {
    /// Seconds, or nil when `text` is not a positive duration in one of those forms.
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var number = Substring(trimmed)
        var scale = 3_600.0
        if let (suffix, factor) = units.first(where: { trimmed.hasSuffix($0.0) }) {
            number = number.dropLast(suffix.count)
            scale = factor
        }
        guard let value = Double(number), value.isFinite, value > 0 else { return nil }
        return value * scale
    }
}
