"""Course thumbnails and avatars: decoded with Pillow, turned upright, stripped of every bit
of metadata (EXIF with its GPS position and camera serial, XMP, ICC), resized and stored as
WebP. The uploaded original is never served."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from pathshala.uploads.rules import RuleBroken

#: Refuse images whose pixel count would take too much memory to decode (a few KB of PNG
#: can claim 50 000 x 50 000 pixels). 40 megapixels covers any phone camera.
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP")
WEBP_QUALITY = 82


@dataclass(frozen=True)
class ImageRule:
    width: int
    height: int
    # "contain": fit inside the box, whole image kept, never enlarged.
    # "cover": fill the box exactly, cropped around the centre.
    fit: str


#: Thumbnails are contained, not cropped, in 1280x720: the original is deleted afterwards,
#: so a server-side crop would lose for good whatever the teacher put near the edges (titles
#: often are). The catalog card crops for display instead (CSS object-fit: cover), and a
#: 16:9 image, the usual case, fills the box either way.
#: Avatars are shown as small squares or circles, so a centre crop to 256x256 is right.
IMAGE_RULES = {
    "thumbnail": ImageRule(1280, 720, "contain"),
    "avatar": ImageRule(256, 256, "cover"),
}


def to_webp(stream: BinaryIO, purpose: str) -> bytes:
    """The image in ``stream`` as a WebP for ``purpose``; RuleBroken if it is not a JPEG,
    PNG or WebP image Pillow can decode in full."""
    data = stream.read()
    rule = IMAGE_RULES[purpose]
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; make it an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # verify() checks the file's structure but leaves the image unusable: reopen.
            with Image.open(io.BytesIO(data), formats=FORMATS) as probe:
                _check_size(probe)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                _check_size(image)
                image.load()
                upright = ImageOps.exif_transpose(image)
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            OSError,
            SyntaxError,  # Pillow's verify() reports some broken files this way
            ValueError,
        ) as error:
            raise RuleBroken("image_unreadable", "The image could not be read.") from error
    resized = _resize(_normalise_mode(upright), rule)
    # Nothing from the original's info (exif, xmp, icc_profile) is passed on, and Pillow's
    # WebP writer only writes metadata it is handed explicitly.
    resized.info = {}
    out = io.BytesIO()
    resized.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def _check_size(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise RuleBroken(
            "image_too_large", f"The image may have at most {MAX_PIXELS // 1_000_000} megapixels."
        )


def _normalise_mode(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has transparency (palette PNGs included)."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    return image.convert("RGBA" if has_alpha else "RGB")


def _resize(image: Image.Image, rule: ImageRule) -> Image.Image:
    box = (rule.width, rule.height)
    if rule.fit == "cover":
        return ImageOps.fit(image, box, method=Image.Resampling.LANCZOS)
    if image.width <= rule.width and image.height <= rule.height:
        return image.copy()
    return ImageOps.contain(image, box, method=Image.Resampling.LANCZOS)
