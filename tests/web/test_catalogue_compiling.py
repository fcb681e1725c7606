"""The server starts where it may not write its checkout (a systemd service with ProtectSystem=strict):
a catalogue it cannot compile is kept as `make install` compiled it, with one warning."""

import logging
import os

from kiosk.web import i18n


def test_a_catalogue_that_cannot_be_written_is_a_warning_not_a_failed_start(monkeypatch, tmp_path, caplog):
    po = next(i18n.TRANSLATIONS.glob("de/LC_MESSAGES/messages.po"))
    tree = tmp_path / "translations" / "de" / "LC_MESSAGES"
    tree.mkdir(parents=True)
    (tree / "messages.po").write_bytes(po.read_bytes())
    (tree / "messages.mo").write_bytes(b"stale")
    os.utime(tree / "messages.mo", (0, 0))  # older than the .po: it would be compiled again
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path / "translations")

    def read_only(path, mode="r", *args, **kwargs):
        if "w" in mode:
            raise PermissionError(30, "Read-only file system")
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(i18n, "open", read_only, raising=False)
    with caplog.at_level(logging.WARNING, logger="kiosk.web.i18n"):
        i18n.compile_catalogues()
    assert (tree / "messages.mo").read_bytes() == b"stale"
    assert "cannot compile" in caplog.text and "make install" in caplog.text
