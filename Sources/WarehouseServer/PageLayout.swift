/// The HTML document around every page: the stylesheet, no scripts, nothing external.
enum PageLayout {
    /// `title` is escaped here; `body` is markup that its builder escaped already.
    static func document(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(title.html)</title>
        <style>\(PageStyle.css)</style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// A page that only states a problem (database down, bad parameter) and what to do.
    static func message(title: String, text: String, status: Int) -> String {
        document(title: title, body: """
            <main><div class="login"><h1>\(title.html)</h1><p class="subtitle">\(text.html)</p>
            <p class="note">HTTP \(status) · <a href="/">Back to the dashboard</a></p></div></main>
            """)
    }
}
