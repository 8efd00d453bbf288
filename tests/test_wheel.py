"""A wheel install works outside the source tree: the prompts ship in it, and so does every module."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools' build/ folder would otherwise linger in the source tree, with
    # copies of modules that no longer exist.
    source = shutil.copytree(ROOT, out / "source", ignore=shutil.ignore_patterns(
        ".*", "build", "*.egg-info", "data", "__pycache__", "bench", "tests", "corpus"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        check=True, cwd=out,
    )
    return next(out.glob("cls_assistant-*.whl"))


def test_the_wheel_holds_every_module_and_prompt_of_the_source(wheel):
    shipped = set(zipfile.ZipFile(wheel).namelist())
    source = {f"{p.relative_to(ROOT)}" for folder in ("assistant", "ingest") for p in (ROOT / folder).rglob("*.py")}
    source |= {f"assistant/prompts/{p.name}" for p in (ROOT / "prompts").iterdir() if p.suffix in (".py", ".md")}
    assert source - shipped == set()
    assert "assistant/prompts/answer_system.md" in shipped


def test_an_install_outside_the_source_reads_its_prompts(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    read = subprocess.run(
        [sys.executable, "-c", "import assistant.prompts as p; print(p.__file__); print(p.system_prompt())"],
        cwd=elsewhere, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
    )
    assert read.returncode == 0, read.stderr
    location, text = read.stdout.split("\n", 1)
    assert Path(location).is_relative_to(site)
    assert text.strip() == (ROOT / "prompts" / "answer_system.md").read_text(encoding="utf-8").strip()
