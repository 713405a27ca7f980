/// The dashboard's one stylesheet, inlined in each page (`style-src 'unsafe-inline'` allows it;
/// nothing else is loaded). System fonts only, so it renders the same offline.
/// Colours meet WCAG AA contrast on their backgrounds (text 4.5:1, bars and borders 3:1), and
/// changes carry an arrow and a sign as well as a colour.
enum PageStyle {
    static let css = """
        :root {
          --text: #1b1f24; --muted: #57606a; --line: #d8dee4; --panel: #ffffff; --page: #f5f7f9;
          --accent: #1f5fbf; --up: #116329; --down: #b3261e; --warn-bg: #fff4d6; --warn-line: #c99400;
          --bad-bg: #fde8e7; --bad-line: #b3261e;
        }
        * { box-sizing: border-box; }
        body {
          margin: 0; background: var(--page); color: var(--text);
          font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans",
            "Liberation Sans", sans-serif;
          font-variant-numeric: tabular-nums;
        }
        main { max-width: 1200px; margin: 0 auto; padding: 24px 24px 40px; }
        header.top { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 16px;
          margin-bottom: 20px; }
        h1 { font-size: 22px; margin: 0 0 2px; letter-spacing: -0.01em; }
        h2 { font-size: 16px; margin: 0; }
        h3 { font-size: 12px; margin: 0 0 6px; color: var(--muted); font-weight: 600; text-transform: uppercase;
          letter-spacing: 0.04em; }
        p { margin: 0; }
        a { color: var(--accent); }
        code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; }
        .subtitle { color: var(--muted); }
        form.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
        form.controls label { display: flex; flex-direction: column; gap: 3px; font-size: 12px; color: var(--muted);
          font-weight: 600; }
        input, select, button { font: inherit; font-size: 14px; color: var(--text); padding: 5px 8px;
          border: 1px solid #8c959f; border-radius: 6px; background: #fff; min-height: 32px; }
        button { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; padding: 5px 16px;
          cursor: pointer; }
        button:focus-visible, input:focus-visible, select:focus-visible, a:focus-visible {
          outline: 3px solid #8ab4f8; outline-offset: 1px; }
        .alert { border: 1px solid; border-left-width: 5px; border-radius: 6px; padding: 10px 14px; margin-bottom: 16px; }
        .alert.stale { background: var(--warn-bg); border-color: var(--warn-line); }
        .alert.failed { background: var(--bad-bg); border-color: var(--bad-line); }
        .cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 16px; margin-bottom: 24px; }
        .card, .report { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
        .card { padding: 14px 16px; }
        .figure { font-size: 28px; font-weight: 650; letter-spacing: -0.02em; line-height: 1.2; }
        .figure.when { font-size: 17px; line-height: 1.5; }
        .delta { margin-top: 4px; font-size: 13px; color: var(--muted); }
        .delta .change { font-weight: 650; }
        .delta .up { color: var(--up); }
        .delta .down { color: var(--down); }
        .card.stale { border-color: var(--warn-line); box-shadow: inset 0 3px 0 var(--warn-line); }
        .counts { margin-top: 6px; display: flex; flex-wrap: wrap; gap: 2px 10px; color: var(--muted); font-size: 13px; }
        .counts b { color: var(--text); font-weight: 600; }
        .report { margin-bottom: 20px; padding: 16px 18px 18px; }
        .report header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 8px;
          margin-bottom: 10px; }
        .report .about { color: var(--muted); font-size: 13px; margin-top: 2px; }
        .downloads { display: flex; gap: 12px; font-size: 13px; }
        .report .body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.1fr); gap: 24px; align-items: start; }
        .note { color: var(--muted); font-size: 13px; margin-top: 8px; }
        .empty { color: var(--muted); padding: 16px 0; }
        svg.chart { display: block; font-size: 13px; max-width: 100%; height: auto; }
        svg.chart .caption { fill: var(--muted); font-size: 12px; font-weight: 600; }
        svg.chart .label { fill: var(--text); }
        svg.chart .value { fill: var(--muted); font-size: 12px; }
        svg.chart .bar { fill: var(--accent); }
        svg.chart g:hover .bar { fill: #174a96; }
        svg.chart .axis { stroke: #8c959f; stroke-width: 1; }
        .trend { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin-bottom: 24px; }
        .trend .body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; }
        svg.chart .day { fill: var(--accent); opacity: 0.75; }
        svg.chart g:hover .day { opacity: 1; }
        svg.chart .revenue { fill: none; stroke: #bf5b04; stroke-width: 1.5; }
        svg.chart .revenue-caption { fill: #bf5b04; }
        table { width: 100%; border-collapse: collapse; font-size: 13px; }
        th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
        th { color: var(--muted); font-weight: 600; font-size: 12px; border-bottom-color: #afb8c1; }
        td.name { white-space: normal; overflow-wrap: anywhere; }
        .num { text-align: right; }
        tbody tr:nth-child(even) { background: #f8fafb; }
        footer { color: var(--muted); font-size: 12px; margin-top: 8px; }
        .login { max-width: 380px; margin: 12vh auto; background: var(--panel); border: 1px solid var(--line);
          border-radius: 8px; padding: 24px; }
        .login form { display: flex; flex-direction: column; gap: 12px; margin-top: 14px; }
        @media (max-width: 960px) {
          .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
          .report .body { grid-template-columns: 1fr; }
          .trend .body { grid-template-columns: 1fr; }
        }
        """
}
