"""A page as a reader's text-mode browser shows it: title, text and image alt texts, line by line.

Block elements start new lines, inline elements (spans, links, ``<time>``) flow within
a line, ``<img>`` contributes its alt text as a line of its own, and ``<br>`` breaks a
line. Script, style and ``<head>`` content other than ``<title>`` are not shown.
"""

from html.parser import HTMLParser

BLOCK = {
    "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tr", "td", "th", "ul",
    "title", "body", "html", "video", "picture",
}  # fmt: skip
HIDDEN = {"script", "style", "template", "noscript"}


class _TextMode(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = [""]
        self.in_head = False
        self.in_title = False
        self.hidden_depth = 0

    def _break(self):
        if self.lines[-1].strip():
            self.lines.append("")

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden_depth += 1
        elif tag == "head":
            self.in_head = True
        elif tag == "title":
            self.in_title = True
            self._break()
        elif tag in BLOCK or tag == "br":
            self._break()
        elif tag == "img" and not self.hidden_depth:
            alt = dict(attrs).get("alt") or ""
            if alt.strip():
                self._break()
                self.lines[-1] = alt
                self._break()

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden_depth -= 1
        elif tag == "head":
            self.in_head = False
        elif tag == "title":
            self.in_title = False
            self._break()
        elif tag in BLOCK:
            self._break()

    def handle_data(self, data):
        if self.hidden_depth or (self.in_head and not self.in_title):
            return
        self.lines[-1] += data


def text_lines(html):
    """The non-empty lines of ``html`` as a text-mode browser shows them, whitespace collapsed."""
    parser = _TextMode()
    parser.feed(html)
    parser.close()
    return [" ".join(line.split()) for line in parser.lines if line.strip()]


def missing_in_order(expected, actual):
    """The first expected line that ``actual`` does not contain in order, or ``None``."""
    position = 0
    for line in expected:
        try:
            position = actual.index(line, position) + 1
        except ValueError:
            return line
    return None
