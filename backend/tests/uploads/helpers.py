"""Real small files of every allowed kind, made in the test run, and the sign → send →
complete flow a client goes through."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from PIL import Image


@dataclass
class RecordingJobs:
    """Stands in for the app's job queue: remembers what was queued, runs nothing."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def enqueue(self, name: str, **kwargs: Any) -> str:
        self.calls.append((name, kwargs))
        return f"job-{len(self.calls)}"


def make_mp4(directory: Path) -> bytes:
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg is needed to make the test video"
    out = directory / "clip.mp4"
    subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [
            ffmpeg,
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=1:size=160x120:rate=10",
            "-pix_fmt",
            "yuv420p",
            "-y",
            str(out),
        ],
        check=True,
        timeout=60,
    )
    return out.read_bytes()


def exif_with_secrets(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "leaky-software-1.0"  # Software
    return exif


def make_jpeg(width: int, height: int, orientation: int = 1) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    # The top-left quarter blue, to tell orientations apart.
    image.paste((30, 30, 200), (0, 0, width // 2, height // 2))
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif_with_secrets(orientation), quality=90)
    return out.getvalue()


def make_png(width: int, height: int) -> bytes:
    image = Image.new("RGBA", (width, height), (10, 120, 10, 255))
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif_with_secrets())
    return out.getvalue()


def make_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Worksheet 1")
    page.save()
    return out.getvalue()


def make_zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def make_docx() -> bytes:
    return make_zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + bytes(range(256)) * 4

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sign(
    client: FlaskClient,
    headers: dict[str, str],
    *,
    purpose: str,
    filename: str,
    content_type: str,
    size: int,
    **target: Any,
):
    body = {
        "purpose": purpose,
        "filename": filename,
        "content_type": content_type,
        "size": size,
        **{name: str(value) for name, value in target.items()},
    }
    return client.post("/api/uploads/sign", json=body, headers=headers)


def put(client: FlaskClient, signed: dict[str, Any], data: bytes, **kwargs: Any):
    assert signed["method"] == "PUT"
    return client.put(signed["url"], data=data, headers=signed["headers"], **kwargs)


def upload(
    client: FlaskClient,
    headers: dict[str, str],
    data: bytes,
    *,
    purpose: str,
    filename: str,
    content_type: str,
    **target: Any,
):
    """sign → PUT → complete, asserting the first two succeed; the complete response."""
    signed = sign(
        client,
        headers,
        purpose=purpose,
        filename=filename,
        content_type=content_type,
        size=len(data),
        **target,
    )
    assert signed.status_code == 201, signed.get_json()
    sent = put(client, signed.get_json(), data)
    assert sent.status_code == 200, sent.get_json()
    return client.post(f"/api/uploads/{signed.get_json()['upload_id']}/complete", headers=headers)


def stored_files(storage_dir: Path) -> list[str]:
    """Every file under the storage root, partial writes included."""
    if not storage_dir.exists():
        return []
    return sorted(
        p.relative_to(storage_dir).as_posix() for p in storage_dir.rglob("*") if p.is_file()
    )
