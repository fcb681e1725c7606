"""What `make assets` built (dist/manifest.json, see tools/build_assets.mjs), read once at start.

`Built` answers for a current build: the built name of each logical name, what an entry loads
with it, and which files (and which pre-compressed copies) may be served. A build older than
the sources (its digest of static/ and the vendor files differs from theirs now) is not used:
the plain files are served instead, never yesterday's code.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"
# Pre-compressed copies next to a built file, by the Content-Encoding they are served with.
ENCODED_SUFFIXES = {"br": ".br", "gzip": ".gz"}


@dataclass(frozen=True)
class Built:
    folder: Path
    files: dict[str, str]  # logical name -> built name (relative to folder)
    needs: dict[str, list[str]]  # built name -> the built names it imports, all the way down
    served: frozenset[str]
    encodings: dict[str, frozenset[str]]  # built name -> the encodings it has a copy in

    def name(self, logical: str) -> str:
        return self.files[logical]


def source_digest(static_folder: Path, vendor: dict[str, Path]) -> str:
    """The same digest as tools/build_assets.mjs's sourceDigest()."""
    sources = {path.relative_to(static_folder).as_posix(): path
               for path in static_folder.rglob("*") if path.is_file()}
    sources |= {name: path for name, path in vendor.items() if path.is_file()}
    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(name.encode() + b"\0" + sources[name].read_bytes() + b"\0")
    return digest.hexdigest()


def load(folder: Path, static_folder: Path, vendor: dict[str, Path]) -> Built | None:
    """The current build in `folder`, or None (no build, or one older than the sources)."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("sources") != source_digest(static_folder, vendor):
        log.warning("%s is older than static/ or node_modules: serving the plain files until `make assets`", path)
        return None
    files, needs = manifest["files"], manifest["needs"]
    served = frozenset(files.values()) | {name for names in needs.values() for name in names}
    encodings = {name: frozenset(encoding for encoding, suffix in ENCODED_SUFFIXES.items()
                                 if (folder / (name + suffix)).is_file()) for name in served}
    return Built(folder, files, needs, served, encodings)
