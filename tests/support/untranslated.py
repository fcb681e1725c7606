"""Finding text people read that never passes through a catalogue.

Two heuristics, each a function over source text so a test can try it first on a
made-up snippet that breaks the rule:

- templates: text between tags and the attributes people read (placeholder, title,
  aria-label, alt, label, a button's or submit input's value, meta description's
  content) must come from `_()` or a variable, never be literal words. Jinja
  expressions, statements and comments are blanked out first; <script> and <style>
  bodies are code, not text.
- browser JS: a string literal that reads like words (a capital word, or two words
  with a space) is text people read unless it is the English fallback handed to the
  board's T(key, fallback), a console message, an import or a comment.

And the other half: every key looked up (`_("key")` in templates, the kiosk's t("key"),
the board's T("key", …)) exists in every catalogue.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from tests.support.paths import ROOT

TEMPLATE_DIRS = (ROOT / "kiosk", ROOT / "staffboard")
JS_DIR = ROOT / "static" / "js"

# Not language: the same in every catalogue. Each entry says why.
ALLOWED = {
    "Gastgeber",  # the product's name
    "PIN",  # the same word in de, en, tr
    "ntfy", "Apprise", "Webhooks", "Webhook",  # names of services and of the thing itself
    "https://example.com/hook", "https://ntfy.sh/…",  # format examples
    "HTTP",  # protocol name in the webhook log
    "Edge", "Firefox", "Chrome", "Safari", "Android", "Windows", "Linux", "iPhone",  # product names
    "ABCD-EFGH",  # the pairing code's form
    "Notification",  # the browser's API ("Notification" in window), not the word
    "Enter", "Escape",  # keys' names (event.key)
    "Accept", "Content-Type", "Retry-After",  # HTTP header names
}
CODE_TAGS = ("script", "style", "code", "kbd", "samp")  # code and commands, the same in every language
SYMBOLS = re.compile(r"^[\W\d_]*$")  # "·", "—", "→", "12:00" …: no letters, no language
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "label"}

JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)


def blank_jinja(source: str) -> str:
    """Jinja parts replaced by a marker (a variable counts as translated)."""
    return JINJA.sub(" \x00 ", source)


BLOCK_VALUE = re.compile(r"^([a-z]{2,3}|[a-z]+(-[a-z]+)+)$")  # "en", "ltr", "page-admin"


def has_words(text: str) -> bool:
    words = text.replace("\x00", " ").strip(" \n\t·—–-→←|:()")
    return bool(words) and not SYMBOLS.match(words) and words not in ALLOWED


class _TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.code_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in CODE_TAGS:
            self.code_depth += 1
        values = dict(attrs)
        read = {name: value for name, value in values.items() if name in READ_ATTRIBUTES}
        if tag == "button" or (tag == "input" and values.get("type") in ("submit", "button", "reset")):
            read["value"] = values.get("value")
        if tag == "meta" and values.get("name") == "description":
            read["content"] = values.get("content")
        for name, value in read.items():
            if value and has_words(value):
                self.found.append(f'{tag}[{name}]="{value.strip()}"')

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag in CODE_TAGS and self.code_depth:
            self.code_depth -= 1

    def handle_data(self, data):
        """Each piece between Jinja parts apart: a block's content may be an attribute's
        value in the parent ({% block lang %}en{% endblock %}), so short codes are left out."""
        if self.code_depth:
            return
        for piece in data.split("\x00"):
            if has_words(piece) and not BLOCK_VALUE.match(piece.strip()):
                self.found.append(" ".join(piece.split()))


def untranslated_in_template(source: str) -> list[str]:
    finder = _TextFinder()
    finder.feed(blank_jinja(source))
    finder.close()
    return finder.found


COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'\\])//[^\n]*", re.S)
LITERAL = re.compile(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'")
WORDY = re.compile(r"[A-Za-zÀ-ÿ]{2,}[ ,.:!?…]+[A-Za-zÀ-ÿ]{2,}|^[A-Z][a-z]{2,}\b")
NOT_TEXT_LINE = re.compile(r"^\s*(import|export \* from)|console\.\w+\(|new Error\(")


def is_words(literal: str) -> bool:
    """Reads like words for a person, not like a selector, a key, a URL or a CSS class list."""
    if literal in ALLOWED or not WORDY.search(literal):
        return False
    if re.match(r"^[\w-]+(\.[\w-]+)+\.?$", literal):  # "visit.acknowledge", "board.team-changed": keys, events
        return False
    if re.search(r"\b\d+px\b|system-ui|sans-serif", literal):  # a canvas font
        return False
    if re.match(r"^[a-z]*[.#][\w-]+(, *[a-z]*[.#][\w-]+)*$", literal):  # "table.admin-table, table.x": selectors
        return False
    if re.match(r"^[a-z][\w-]*( [a-z][\w-]*)*$", literal):  # "btn primary", "is-hidden": class lists
        return False
    return not re.match(r"^[\w.-]*[#/=\[\]{}()<>]", literal)


def untranslated_in_js(source: str) -> list[str]:
    found = []
    for line in COMMENT.sub("", source).splitlines():
        if NOT_TEXT_LINE.search(line):
            continue
        line = re.sub(r"\bT\(\s*\"[\w.]+\"\s*,\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')", "T(", line)
        for double, single in LITERAL.findall(line):
            literal = double or single
            if is_words(literal):
                found.append(literal)
    return found


def templates() -> list[Path]:
    found = [path for top in TEMPLATE_DIRS for path in top.rglob("templates/*.html")]
    found.append(ROOT / "staffboard" / "templates" / "board_sw.js")
    return sorted(found)


def js_modules() -> list[Path]:
    return sorted(JS_DIR.rglob("*.js"))


def findings(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return untranslated_in_template(source)
    if path.parent.name == "templates":  # board_sw.js, itself a Jinja template
        source = blank_jinja(source)
    return untranslated_in_js(source)


TEMPLATE_KEY = re.compile(r"""\b_\(\s*["']([\w.]+)["']""")
KIOSK_KEY = re.compile(r"""\bt\(\s*["'](\w+)["']""")
BOARD_T = re.compile(r"import \{[^}]*\bT\b[^}]*\} from .\./page\.js")
BOARD_KEY = re.compile(r"""\bT\(\s*["']([\w.]+)["']""")


def keys_used(path: Path) -> set[str]:
    """Catalogue keys a file looks up, as the catalogue spells them (a prefix a key is
    built from, `_("kiosk." ~ key)`, is left out)."""
    return {key for key in _keys_looked_up(path) if not key.endswith((".", "_"))}


def _keys_looked_up(path: Path) -> set[str]:
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".html" or path.parent.name == "templates":
        return set(TEMPLATE_KEY.findall(source))
    relative = path.relative_to(JS_DIR).parts
    if relative[0] == "kiosk":
        return {f"kiosk.{key}" for key in KIOSK_KEY.findall(source)}
    if relative[0] == "board" and BOARD_T.search(source):  # push.js has a T() of its own texts
        return {f"board.js.{key}" for key in BOARD_KEY.findall(source)}
    return set()
