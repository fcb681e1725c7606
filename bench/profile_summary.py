"""Summarise a py-spy raw (collapsed stacks) profile: where the server's time goes.

    .venv/bin/py-spy record --nonblocking -d 20 --pid PID --format raw -o prof.txt
    .venv/bin/python bench/profile_summary.py prof.txt [--top 25] [--match kiosk/]

Prints, per function (file:function), the share of samples in which it is on the stack
(inclusive) and at the top of it (self). Idle samples (the hub waiting in epoll) are
counted separately so shares are of busy time as well as of all time.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")
IDLE = ("epolls.py", "poll (", "hub.py:wait", "select (")


def short(frame: str) -> str:
    m = FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m.group("file")
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{path}:{m.group('func')}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="only functions whose file contains this")
    args = parser.parse_args()
    inclusive, own = Counter(), Counter()
    total = idle = 0
    with open(args.profile, encoding="utf-8", errors="replace") as profile:
        for line in profile:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack or not count.isdigit():
                continue
            count = int(count)
            frames = [short(f) for f in stack.split(";") if f.strip()]
            frames = [f for f in frames if not f.startswith(("process ", "thread "))]
            total += count
            if frames and ("epoll" in frames[-1] or frames[-1].endswith((":poll", ":wait", ":select"))):
                idle += count
                continue
            for f in set(frames):
                inclusive[f] += count
            if frames:
                own[frames[-1]] += count
    busy = total - idle
    print(f"samples {total}, idle (hub waiting) {idle} ({100 * idle / max(1, total):.0f} %), busy {busy}")
    print(f"\n{'inclusive % of busy':>20}  function")
    for f, c in inclusive.most_common():
        if args.match in f:
            print(f"{100 * c / max(1, busy):19.1f}%  {f}")
            args.top -= 1
            if args.top <= 0:
                break
    print(f"\n{'self % of busy':>20}  function")
    for f, c in own.most_common(20):
        print(f"{100 * c / max(1, busy):19.1f}%  {f}")


if __name__ == "__main__":
    main()
