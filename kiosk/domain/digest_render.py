"""The weekly digest in words: plain text for chat channels (ntfy, Slack, Matrix …) and an HTML
e-mail (inline styles only, as mail clients want; its chart is an inline image, `cid:CHART_NAME`).

Every text comes from the catalogues (keys `digest.*`), handed in as `texts` (one language's
key → text, English filling gaps); numbers, dates and weekdays are formatted for that language
by Babel. A host's name is escaped in the HTML; no customer's name is ever in the figures.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from babel.dates import format_date, get_day_names
from babel.numbers import format_percent

from kiosk.domain.channels.sending import INLINE_IMAGE as CHART_NAME

RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}
NO_FIGURE = "–"


class Words:
    """One language's way of saying the digest's figures."""

    def __init__(self, texts: dict, language: str):
        self.texts, self.language = texts, language

    def __call__(self, key: str, **values) -> str:
        text = self.texts.get(f"digest.{key}") or f"digest.{key}"
        return text.format(**values) if values else text

    def duration(self, seconds) -> str:
        if seconds is None:
            return NO_FIGURE
        seconds = round(seconds)
        if seconds < 60:
            return self("seconds", n=seconds)
        return self("minutes", m=seconds // 60, ss=f"{seconds % 60:02d}")

    def percent(self, pct) -> str:
        if pct is None:
            return NO_FIGURE
        return format_percent(Decimal(str(pct)) / 100, locale=self.language, decimal_quantization=False)

    def day(self, weekday: int, width: str = "abbreviated") -> str:
        return get_day_names(width, locale=self.language)[weekday]

    def date(self, iso: str) -> str:
        return format_date(date.fromisoformat(iso), "medium", locale=self.language)


def subject(figures: dict, words: Words, site: str, *, test: bool = False) -> str:
    """The digest's subject (a chat message's first line); a test digest says it is one first."""
    said = words("subject", site=site, first=words.date(figures["first_day"]), last=words.date(figures["last_day"]))
    return words("test_subject", subject=said) if test else said


def _rows(figures: dict, words: Words) -> list[tuple[str, str, str]]:
    """(what, last week, the week before) of the comparison."""
    last, before = figures["last"], figures["before"]
    target = words.duration(figures["target_seconds"])
    return [
        (words("guests"), str(last["visits"]), str(before["visits"])),
        (words("median_wait"), words.duration(last["greet_p50"]), words.duration(before["greet_p50"])),
        (words("p90_wait"), words.duration(last["greet_p90"]), words.duration(before["greet_p90"])),
        (words("within_target", target=target), words.percent(last["within_target_pct"]),
         words.percent(before["within_target_pct"])),
        (words("left_unseen"), str(last["abandoned"]), str(before["abandoned"])),
    ]


def _busy_lines(figures: dict, words: Words) -> list[str]:
    target = words.duration(figures["target_seconds"])
    return [words("busy_hour", day=words.day(slot["weekday"]), start=f"{slot['hour']:02d}:00",
                  end=f"{(slot['hour'] + 1) % 24:02d}:00", count=slot["waited_too_long"], target=target,
                  median=words.duration(slot["greet_p50"]))
            for slot in figures["busy_hours"]]


def _stand_in_line(figures: dict, words: Words) -> str:
    host = figures["stand_ins"]
    if host is None:
        return words("stand_ins_none")
    return words("stand_ins", name=host["name"], count=host["stand_ins"], visits=host["visits"])


def _estimate_line(figures: dict, words: Words) -> str:
    last, before = figures["calibration"]["last"], figures["calibration"]["before"]
    if not last["estimates"]:
        return words("estimate_none")
    return words("estimate", pct=words.percent(last["within_high_pct"]), count=last["estimates"],
                 before=words.percent(before["within_high_pct"]))


def text(figures: dict, words: Words, *, site: str, link: str, test: bool = False) -> str:
    """The digest as a chat message: short lines, no markup."""
    lines = [subject(figures, words, site, test=test), ""]
    lines += [words("line", what=what, last=last, before=before) for what, last, before in _rows(figures, words)]
    lines += ["", words("busy_title") + ":"]
    lines += [f"· {line}" for line in _busy_lines(figures, words)] or [words("busy_none")]
    lines += ["", f"{words('stand_ins_title')}: {_stand_in_line(figures, words)}",
              "", f"{words('estimate_title')}: {_estimate_line(figures, words)}",
              "", f"{words('open_stats')}: {link}"]
    return "\n".join(lines)


CELL = "padding:6px 10px;border-bottom:1px solid #e3e6ea;"


def html(figures: dict, words: Words, *, site: str, link: str, chart_src: str = f"cid:{CHART_NAME}",
         test: bool = False) -> str:
    """The digest as an HTML e-mail (a whole document; the preview page shows the same with
    `chart_src` pointing at the server's chart)."""
    direction = "rtl" if words.language in RIGHT_TO_LEFT else "ltr"
    align = "right" if direction == "rtl" else "left"
    rows = "".join(
        f'<tr><th scope="row" style="{CELL}text-align:{align};font-weight:normal">{escape(what)}</th>'
        f'<td style="{CELL}font-weight:bold">{escape(last)}</td>'
        f'<td style="{CELL}color:#5b6470">{escape(before)}</td></tr>'
        for what, last, before in _rows(figures, words))
    busy = "".join(f"<li>{escape(line)}</li>" for line in _busy_lines(figures, words))
    busy = f"<ul>{busy}</ul>" if busy else f"<p>{escape(words('busy_none'))}</p>"
    heading = "font-size:16px;margin:22px 0 6px"
    return f"""<!DOCTYPE html>
<html lang="{words.language}" dir="{direction}"><head><meta charset="utf-8">
<title>{escape(subject(figures, words, site, test=test))}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7">
<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Helvetica,Arial,sans-serif;
color:#1d232b;font-size:15px;line-height:1.45;text-align:{align}">
<h1 style="font-size:20px;margin:0 0 4px">{escape(subject(figures, words, site, test=test))}</h1>
<p style="margin:0 0 16px;color:#5b6470">{escape(words("intro"))}</p>
<table role="presentation" style="border-collapse:collapse;width:100%">
<thead><tr><th style="{CELL}"></th><th scope="col" style="{CELL}text-align:{align}">{escape(words("col_last"))}</th>
<th scope="col" style="{CELL}text-align:{align};color:#5b6470">{escape(words("col_before"))}</th></tr></thead>
<tbody>{rows}</tbody></table>
<p style="margin:18px 0 4px"><img src="{escape(chart_src)}" width="560" height="220" alt="{escape(words("chart_alt"))}"
style="display:block;max-width:100%;height:auto"></p>
<p style="margin:0;color:#5b6470;font-size:13px">{escape(words("chart_caption"))}</p>
<h2 style="{heading}">{escape(words("busy_title"))}</h2>{busy}
<h2 style="{heading}">{escape(words("stand_ins_title"))}</h2><p>{escape(_stand_in_line(figures, words))}</p>
<h2 style="{heading}">{escape(words("estimate_title"))}</h2><p>{escape(_estimate_line(figures, words))}</p>
<p style="margin-top:24px"><a href="{escape(link)}" style="color:#1f5f8b">{escape(words("open_stats"))}</a></p>
</div></body></html>"""
