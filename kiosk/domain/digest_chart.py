"""The weekly digest's small chart, a PNG made on the server: each day's median wait to greeting,
last week beside the week before, and the target as a dashed line.

Why matplotlib's Agg backend and not an SVG rendered by cairosvg: matplotlib's wheels carry
everything they draw with (the Agg rasteriser, FreeType, the DejaVu fonts), so `pip install`
is the whole installation on a shop's small server, without internet; cairosvg needs the
system's Cairo library (`apt-get install libcairo2`), one more thing an operator must get right.
The chart is drawn on a `Figure` with its own `FigureCanvasAgg`, never through pyplot: no
global state, so two digests drawn on two threads do not meet. It is imported only when a
digest is drawn (once a week per manager), so no process pays for it otherwise.

The chart holds no words: its legend and caption are the e-mail's text, in the manager's
language (matplotlib cannot shape Arabic script). The days are written as numbers.
"""

from __future__ import annotations

import io
from datetime import date

WIDTH_PX, HEIGHT_PX, DPI = 560, 220, 100
LAST_COLOUR, BEFORE_COLOUR, TARGET_COLOUR = "#1f5f8b", "#b7c2cc", "#c0392b"


def chart_png(by_weekday: list[dict], target_seconds: int) -> bytes:
    """The PNG of `by_weekday` (digest.figures' rows: each day's `date`, `last` and `before` median in seconds)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.08, 0.14, 0.9, 0.8))
    positions = range(len(by_weekday))
    axes.bar([p - 0.2 for p in positions], [row["before"] or 0 for row in by_weekday], width=0.38,
             color=BEFORE_COLOUR)
    axes.bar([p + 0.2 for p in positions], [row["last"] or 0 for row in by_weekday], width=0.38, color=LAST_COLOUR)
    axes.axhline(target_seconds, color=TARGET_COLOUR, linestyle="--", linewidth=1.5)
    highest = max([target_seconds, *(row[key] or 0 for row in by_weekday for key in ("last", "before"))])
    axes.set_ylim(0, highest * 1.15)
    axes.set_xticks(list(positions), [_day_label(row["date"]) for row in by_weekday])
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=9, colors="#3b434c")
    axes.grid(axis="y", color="#e3e6ea", linewidth=0.8)
    axes.set_axisbelow(True)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _day_label(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day}.{day.month}."
