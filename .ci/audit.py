"""`make audit`: pip-audit over the installed environment (.venv), run by .ci/run after install.

A known vulnerability fails (exit 1, one line per finding). Where the vulnerability service cannot
be reached, or answers for none of the packages (a package mirror without PyPI's vulnerability data
says "not found" for each), the audit is skipped with one line saying why, instead of passing as if
every package had been checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
UNREACHABLE = ("ConnectionError", "NameResolutionError", "Max retries exceeded", "Timeout", "SSLError")


def main() -> int:
    run = subprocess.run([str(PIP_AUDIT), "--skip-editable", "--progress-spinner", "off", "--format", "json"],
                         capture_output=True, text=True, timeout=600)
    try:
        dependencies = json.loads(run.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        if any(sign in run.stderr for sign in UNREACHABLE):
            print("pip-audit: skipped, the vulnerability service cannot be reached from this machine")
            return 0
        print(f"pip-audit failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
        return 1
    found = [(d["name"], d["version"], v["id"], v.get("fix_versions") or []) for d in dependencies
             for v in d.get("vulns", [])]
    for name, version, vulnerability, fixes in found:
        print(f"pip-audit: {name} {version}: {vulnerability} (fixed in {', '.join(fixes) or 'no release yet'})")
    if found:
        return 1
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        print(f"pip-audit: skipped, the package index answered for none of the {len(dependencies)} packages "
              "(no vulnerability data here: only a package mirror is reachable)")
        return 0
    print(f"pip-audit: {len(audited)} packages audited, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
