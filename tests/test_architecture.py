"""The written-down layers hold: `make lint`'s import contract passes, and an arrow upward breaks it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("newsroom", "faq", "media_clips")


def lint_imports(cwd):
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def tree(tmp_path):
    """A copy of the project's code and contract, to break on purpose."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(path, statement):
    path.write_text(path.read_text(encoding="utf-8") + f"\n{statement}\n", encoding="utf-8")


def test_the_project_keeps_its_import_contracts():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_faq_importing_the_admin_breaks_the_contract(tree):
    add_import(tree / "faq" / "models.py", "import newsroom.admin  # noqa")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "faq.models -> newsroom.admin" in result.stdout


def test_media_clips_importing_newsroom_models_breaks_the_contract(tree):
    add_import(tree / "media_clips" / "admin.py", "from newsroom.models import Article  # noqa")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "media_clips.admin -> newsroom.models" in result.stdout


def test_models_importing_a_service_breaks_the_layers(tree):
    add_import(tree / "newsroom" / "models.py", "from newsroom.services import article_publish  # noqa")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "newsroom.models -> newsroom.services" in result.stdout


def test_faq_and_media_clips_stay_independent(tree):
    add_import(tree / "faq" / "models.py", "import media_clips.models  # noqa")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "faq.models -> media_clips.models" in result.stdout
