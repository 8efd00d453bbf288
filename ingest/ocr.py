"""OCR of scanned PDF pages with the `tesseract` command, when it is installed with French.

Only pages without a text layer are read this way. A scan holds one image per page, so the images
embedded in the page are read as they are: no PDF renderer is needed. `CLS_OCR=off` turns it off;
without tesseract the scanned file is refused with a reason that says how to get OCR.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import lru_cache

from pypdf import PageObject

from assistant.core.config import OcrMode
from ingest.documents import IngestError

LANGUAGE = "fra"
MIN_IMAGE_PIXELS = 48
"""Smaller images (logos, bullets) hold no text worth reading."""
TIMEOUT_S = 120
HOW_TO_ENABLE = (
    "installez tesseract avec le français (apt-get install tesseract-ocr tesseract-ocr-fra) "
    "pour que ces pages soient lues par OCR"
)


@lru_cache(maxsize=1)
def tesseract() -> str | None:
    """Path of the tesseract command if it can read French, else None."""
    binary = shutil.which("tesseract")
    if binary is None:
        return None
    try:
        listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return binary if LANGUAGE in (listed.stdout + listed.stderr).split() else None


def why_unavailable(mode: OcrMode) -> str | None:
    """None when OCR can run; otherwise the French reason, saying how to enable it."""
    if mode == "off":
        return "l'OCR est désactivé (CLS_OCR=off ; mettez CLS_OCR=auto pour l'activer)"
    if tesseract() is None:
        return HOW_TO_ENABLE
    return None


def page_text(page: PageObject, number: int) -> str:
    """Text read from the images of one page, in their order; '' when it has none."""
    texts = [_read(png, number) for png in _page_images(page, number)]
    return "\n\n".join(text for text in texts if text)


def _page_images(page: PageObject, number: int) -> list[bytes]:
    try:
        images = [file.image for file in page.images]
    except Exception as error:  # pypdf raises many kinds of errors on unusual image encodings
        raise IngestError(f"image de la page {number} illisible pour l'OCR") from error
    pngs = []
    for image in images:
        if image is None or min(image.size) < MIN_IMAGE_PIXELS:
            continue
        if image.mode not in ("1", "L", "RGB"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pngs.append(buffer.getvalue())
    return pngs


def _read(png: bytes, number: int) -> str:
    binary = tesseract()
    if binary is None:  # checked by the caller; kept so this never runs a missing command
        raise IngestError(HOW_TO_ENABLE)
    try:
        result = subprocess.run(
            [binary, "stdin", "stdout", "-l", LANGUAGE],
            input=png, capture_output=True, timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as error:
        raise IngestError(f"OCR trop long sur la page {number} (plus de {TIMEOUT_S} s)") from error
    except OSError as error:
        raise IngestError(f"OCR impossible sur la page {number} ({error.strerror or error})") from error
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise IngestError(f"OCR impossible sur la page {number} ({detail[-1] if detail else 'tesseract'})")
    return result.stdout.decode("utf-8", "replace").replace("\f", "").strip()
