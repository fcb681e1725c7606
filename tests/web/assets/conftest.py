"""Fixtures: a build of the browser's files of this test run's own, and an app serving it."""

from __future__ import annotations

import pytest

from kiosk.app import create_app
from tests.support.assets import build_assets


@pytest.fixture(scope="session")
def built_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dist")
    build_assets(folder)
    return folder


@pytest.fixture
def settings(db_path, built_folder):
    return {"db": str(db_path), "assets_dir": str(built_folder)}


@pytest.fixture
def plain_app(db_path, clock, tmp_path):
    """An app without a build (a checkout straight from git)."""
    app = create_app({"db": str(db_path), "clock": clock, "async_mode": "threading",
                      "assets_dir": str(tmp_path / "never-built")})
    app.config["TESTING"] = True
    yield app
    app.extensions["gastgeber"].store.close()
