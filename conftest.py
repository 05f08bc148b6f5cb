"""Shared test fixtures: where the shared data lives, and the seed pair."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SHARED_DATA = Path(os.environ.get("SPINTRACE_SHARED_DATA", ROOT.parent / "shared" / "data"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")


def shared_path(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not present: {path}")
    return path


@pytest.fixture(scope="session")
def seed_pair() -> tuple[str, str]:
    folder = shared_path("seed-pair")
    return (folder / "source.txt").read_text(encoding="utf-8"), (folder / "suspect.txt").read_text(encoding="utf-8")
