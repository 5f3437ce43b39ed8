"""What may be uploaded for each purpose, and how to tell what actually arrived.

A client declares a file name, a content type and a size when it asks for an upload URL;
``check_declared`` holds those to the purpose's rules. When the bytes have arrived,
``check_content`` looks at them (magic bytes, the entries of an Office zip, UTF-8 for text,
ffprobe for video), because a declared type is only a claim: a renamed executable must not
become a lesson video.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MB = 1024 * 1024
GB = 1024 * MB

#: Longest file name kept (the column is 255 characters).
MAX_FILENAME_CHARS = 255
#: The name inside a storage key is shorter and plain ASCII: it must fit on any disk (255
#: bytes, with room for LocalStorage's ".partial-" prefix) and in any URL or S3 signature.
MAX_KEY_NAME_CHARS = 100
#: How many leading bytes the magic-byte checks look at.
HEAD_BYTES = 64
FFPROBE_TIMEOUT_SECONDS = 60
TEXT_CHUNK_BYTES = 1024 * 1024

OFFICE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: The folder an Office Open XML package of each kind keeps its main part in.
OFFICE_FOLDERS = {"docx": "word/", "pptx": "ppt/", "xlsx": "xl/"}

#: Extension -> the content types a browser may report for it.
CONTENT_TYPES: dict[str, frozenset[str]] = {
    "mp4": frozenset({"video/mp4"}),
    "mov": frozenset({"video/quicktime"}),
    "webm": frozenset({"video/webm"}),
    "mkv": frozenset({"video/x-matroska"}),
    "jpg": frozenset({"image/jpeg"}),
    "jpeg": frozenset({"image/jpeg"}),
    "png": frozenset({"image/png"}),
    "webp": frozenset({"image/webp"}),
    "pdf": frozenset({"application/pdf"}),
    # Windows browsers report zips as application/x-zip-compressed.
    "zip": frozenset({"application/zip", "application/x-zip-compressed"}),
    **{extension: frozenset({content_type}) for extension, content_type in OFFICE_TYPES.items()},
    "txt": frozenset({"text/plain"}),
}


@dataclass(frozen=True)
class PurposeRule:
    extensions: frozenset[str]
    max_bytes: int
    label: str

    @property
    def content_types(self) -> frozenset[str]:
        return frozenset().union(*(CONTENT_TYPES[extension] for extension in self.extensions))


IMAGE_RULE = PurposeRule(frozenset({"jpg", "jpeg", "png", "webp"}), 5 * MB, "an image")
RULES: dict[str, PurposeRule] = {
    "lesson_video": PurposeRule(frozenset({"mp4", "mov", "webm", "mkv"}), 2 * GB, "a video"),
    "thumbnail": IMAGE_RULE,
    "avatar": IMAGE_RULE,
    "attachment": PurposeRule(
        frozenset({"pdf", "zip", "docx", "pptx", "xlsx", "txt"}), 50 * MB, "a document"
    ),
}
VIDEO_EXTENSIONS = RULES["lesson_video"].extensions


class RuleBroken(ValueError):
    """The file breaks a rule: ``code`` for machines, ``field`` (sign) names the culprit."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


# ---- declared: name, type, size --------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    filename: str  # sanitised, for people
    key_name: str  # ASCII, for storage keys
    extension: str  # lower case, no dot
    content_type: str  # normalised: lower case, no parameters


def sanitise_filename(raw: str) -> str:
    """The base name of ``raw``, safe to store and show.

    Any folder part is dropped (both "/" and "\\" separate, whatever the client's system);
    the name is NFC-normalised; control and invisible formatting characters (including the
    right-to-left override that makes "exe.pdf" read as "fdp.exe") are removed; runs of
    whitespace become one space; leading dots go (no hidden files, no ".."); at most 255
    characters, cut from the stem so the extension survives. RuleBroken if nothing is left.
    """
    name = unicodedata.normalize("NFC", raw)
    name = re.split(r"[/\\]", name)[-1]
    name = re.sub(r"[\t\n\r\v\f]", " ", name)
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf"))
    name = " ".join(name.split()).lstrip(". ").rstrip(". ")
    if not name:
        raise RuleBroken("invalid_filename", "The file name is empty.", "filename")
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) < 16:
            name = stem[: MAX_FILENAME_CHARS - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_FILENAME_CHARS]
    return name


def _key_name(filename: str, extension: str) -> str:
    """An ASCII stand-in for ``filename`` inside a storage key (the real name is kept in the
    upload row): letters, digits, "-", "_" and "." only."""
    stem = filename[: -(len(extension) + 1)]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_stem).strip("_-")
    ascii_stem = ascii_stem[: MAX_KEY_NAME_CHARS - len(extension) - 1] or "file"
    return f"{ascii_stem}.{extension}"


def normalise_content_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def check_declared(purpose: str, filename: str, content_type: str, size: int) -> Declared:
    """The sanitised name, extension and type if they suit ``purpose``; else RuleBroken."""
    rule = RULES[purpose]
    name = sanitise_filename(filename)
    stem, dot, extension = name.rpartition(".")
    extension = extension.lower()
    allowed = ", ".join(sorted(rule.extensions))
    if not dot or not stem or extension not in rule.extensions:
        raise RuleBroken(
            "file_type_not_allowed",
            f"A {purpose.replace('_', ' ')} must be {rule.label}: a .{allowed.replace(', ', ', .')}"
            " file.",
            "filename",
        )
    declared_type = normalise_content_type(content_type)
    if declared_type not in CONTENT_TYPES[extension]:
        raise RuleBroken(
            "content_type_mismatch",
            f"A .{extension} file must be sent as {' or '.join(sorted(CONTENT_TYPES[extension]))},"
            f" not {declared_type or 'no type'}.",
            "content_type",
        )
    if size > rule.max_bytes:
        raise RuleBroken(
            "file_too_large",
            f"A {purpose.replace('_', ' ')} may be at most {_human(rule.max_bytes)}.",
            "size",
        )
    return Declared(name, _key_name(name, extension), extension, declared_type)


def _human(size: int) -> str:
    return f"{size // GB} GB" if size >= GB else f"{size // MB} MB"


# ---- what arrived ----------------------------------------------------------------------------

# QuickTime files from older cameras may open with one of these atoms instead of "ftyp".
_QUICKTIME_ATOMS = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")


def _magic_matches(extension: str, head: bytes) -> bool:
    if extension == "mp4":
        return head[4:8] == b"ftyp"
    if extension == "mov":
        return head[4:8] in _QUICKTIME_ATOMS
    if extension in ("webm", "mkv"):
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("zip", *OFFICE_TYPES):
        return head.startswith(b"PK\x03\x04")
    if extension == "txt":
        return b"\x00" not in head
    return False


def check_magic(extension: str, head: bytes) -> None:
    """RuleBroken unless the first bytes are those of a .``extension`` file."""
    if not _magic_matches(extension, head):
        raise RuleBroken(
            "file_content_mismatch",
            f"The file's content is not that of a .{extension} file.",
        )


def check_office_package(extension: str, path: Path) -> None:
    """A .docx/.pptx/.xlsx must be a zip holding ``[Content_Types].xml`` and its kind's
    folder (word/, ppt/, xl/); nothing is extracted."""
    try:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError) as error:
        raise RuleBroken(
            "file_content_mismatch", f"The file is not a readable .{extension} package."
        ) from error
    folder = OFFICE_FOLDERS[extension]
    if "[Content_Types].xml" not in names or not any(n.startswith(folder) for n in names):
        raise RuleBroken("file_content_mismatch", f"The zip file is not a .{extension} document.")


def check_zip(path: Path) -> None:
    """A .zip must have a readable central directory (its end record), not just a header."""
    try:
        with zipfile.ZipFile(path):
            pass
    except (zipfile.BadZipFile, OSError) as error:
        raise RuleBroken("file_content_mismatch", "The file is not a readable zip.") from error


def check_text(chunks: Iterable[bytes]) -> None:
    """A .txt must be UTF-8 without NUL characters."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        for chunk in chunks:
            if b"\x00" in chunk:
                raise RuleBroken("file_content_mismatch", "A text file must not contain NUL.")
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise RuleBroken("file_content_mismatch", "A text file must be UTF-8.") from error


def read_chunks(stream: BinaryIO, size: int = TEXT_CHUNK_BYTES) -> Iterable[bytes]:
    while chunk := stream.read(size):
        yield chunk


def probe_video(path: Path) -> dict:
    """ffprobe's view of the file's first video stream; RuleBroken if it has none.

    Only the local file protocol is allowed, so a crafted file cannot make ffprobe fetch
    anything; a timeout bounds a file built to keep it busy.
    """
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:  # an installation problem, not the uploader's fault
        raise RuntimeError("ffprobe is not installed; videos cannot be checked")
    command = [
        ffprobe,
        "-v",
        "error",
        "-protocol_whitelist",
        "file",
        "-select_streams",
        "v:0",
        "-show_entries",
        "stream=codec_type,codec_name,width,height:format=duration,format_name",
        "-of",
        "json",
        str(path),
    ]
    try:
        result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            command, capture_output=True, timeout=FFPROBE_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise RuleBroken("video_unreadable", "The video could not be read in time.") from error
    try:
        report = json.loads(result.stdout or b"{}")
    except ValueError:
        report = {}
    streams = [s for s in report.get("streams", []) if s.get("codec_type") == "video"]
    if result.returncode != 0 or not streams:
        raise RuleBroken("video_unreadable", "The file has no video stream ffprobe can read.")
    return {"stream": streams[0], "format": report.get("format", {})}
