"""Where things are: the repository, its docs, and the test run's artifacts."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
ARTIFACTS = ROOT / "test-artifacts"  # git-ignored: screenshots and other output of a test run
