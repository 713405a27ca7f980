import Foundation

/// A horizontal bar chart drawn as inline SVG on the server.
///
/// No script, font or stylesheet is fetched: the page works offline and under a CSP of
/// `default-src 'none'`. Horizontal bars leave room for long customer names. Every name and label
/// passes through ``HTMLEscaping`` (text and attributes alike); a name too long for the label
/// column is shortened with "…" and given in full in the bar's `<title>` tooltip.
struct BarChartSVG {
    struct Bar: Sendable {
        let label: String
        let value: Double
        /// The value as shown at the end of the bar (already formatted).
        let valueText: String
    }

    /// Read by screen readers (`role="img"` with this as its name).
    let title: String
    /// What the bars measure ("Orders", "Value"), written above them.
    let valueCaption: String
    let bars: [Bar]

    // Geometry in SVG user units, which are CSS pixels when the chart has its natural width (the
    // page's column at 1280 px); narrower screens scale it down. Rows are as tall as the table's
    // rows and the caption as tall as its header, so each bar sits beside its table row.
    static let width = 520.0
    static let labelWidth = 170.0
    static let valueWidth = 76.0
    static let captionHeight = 29.0
    static let rowHeight = 30.0
    static let barHeight = 18.0
    static let padding = 4.0
    /// Characters that fit in the label column at the page's 13 px type.
    static let labelCharacters = 23

    func render() -> String {
        guard !bars.isEmpty else { return "" }
        let height = Self.captionHeight + Self.rowHeight * Double(bars.count) + Self.padding
        let plotWidth = Self.width - Self.labelWidth - Self.valueWidth
        let largest = bars.map(\.value).max() ?? 0
        var svg = """
            <svg class="chart" viewBox="0 0 \(Self.number(Self.width)) \(Self.number(height))" \
            width="\(Self.number(Self.width))" height="\(Self.number(height))" role="img" aria-label="\(title.html)" \
            xmlns="http://www.w3.org/2000/svg">
            <text class="caption" x="\(Self.number(Self.labelWidth))" y="\(Self.number(Self.captionHeight / 2))" \
            dominant-baseline="central">\(valueCaption.html)</text>
            <line class="axis" x1="\(Self.number(Self.labelWidth))" y1="\(Self.number(Self.captionHeight))" \
            x2="\(Self.number(Self.labelWidth))" y2="\(Self.number(height - Self.padding))"/>

            """
        for (index, bar) in bars.enumerated() {
            let top = Self.captionHeight + Double(index) * Self.rowHeight
            let middle = top + Self.rowHeight / 2
            // A zero value still shows a hairline, so the row does not look missing.
            let length = largest > 0 ? max(1, bar.value / largest * plotWidth) : 1
            let label = Self.shortened(bar.label)
            svg += """
                <g><title>\(bar.label.html): \(bar.valueText.html)</title>\
                <text class="label" x="\(Self.number(Self.labelWidth - 8))" y="\(Self.number(middle))" \
                text-anchor="end" dominant-baseline="central">\(label.html)</text>\
                <rect class="bar" x="\(Self.number(Self.labelWidth))" y="\(Self.number(middle - Self.barHeight / 2))" \
                width="\(Self.number(length))" height="\(Self.number(Self.barHeight))" rx="2"/>\
                <text class="value" x="\(Self.number(Self.labelWidth + length + 6))" y="\(Self.number(middle))" \
                dominant-baseline="central">\(bar.valueText.html)</text></g>

                """
        }
        return svg + "</svg>"
    }

    /// At most ``labelCharacters`` characters, the last one "…" when cut.
    static func shortened(_ label: String) -> String {
        let flat = label.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        guard flat.count > labelCharacters else { return flat }
        return String(flat.prefix(labelCharacters - 1)) + "…"
    }

    /// Coordinates with at most one decimal: short markup, no locale.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(abs(tenths % 10))"
    }
}
