"""Uploaded pictures: what is accepted, how it is cleaned, and its renditions.

Every upload is untrusted. The format is read from the bytes (never the name), the
byte size and the pixel count are checked before any pixel is decoded, and the
picture is re-encoded, which drops anything appended after the image data and every
metadata block (EXIF with GPS, comments, XMP). Stored names are generated.
"""

import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
# Well below Pillow's own bomb limit (about 89 MP, and only a warning up to twice that).
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (480, 960, 1600)
# Pillow format name -> (stored extension, mode the re-encoded picture uses)
FORMATS = {
    "JPEG": ("jpg", "RGB"),
    "PNG": ("png", None),
    "WEBP": ("webp", None),
    "GIF": ("gif", None),
}
UPLOAD_FOLDER = "articles"
SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85},
    "GIF": {},
}


class ImageRejected(ValidationError):
    """The upload is not an acceptable picture; the message says why."""


class ImageStorageError(Exception):
    """The picture was fine but could not be written; nothing was kept."""


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    extension: str
    width: int
    height: int


def _upload_size(upload):
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    upload.seek(0)
    return size


def _check_size(upload, max_bytes):
    size = _upload_size(upload)
    if size == 0:
        raise ImageRejected("The file is empty.")
    if size > max_bytes:
        raise ImageRejected(
            f"The file is {size / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes / 1_048_576:.0f} MB."
        )


def _open_header(upload):
    """Open lazily: Pillow reads only the header here, no pixel data."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(upload)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ImageRejected(_too_many_pixels_message()) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageRejected(
            "The file is not a picture in an accepted format (JPEG, PNG, WebP or GIF)."
        ) from error


def _too_many_pixels_message(width=None, height=None):
    size = f" ({width} × {height})" if width else ""
    return (
        f"The picture has too many pixels{size}; the limit is "
        f"{MAX_PIXELS // 1_000_000} megapixels."
    )


def _check_header(image):
    if image.format not in FORMATS:
        raise ImageRejected(
            f"{image.format or 'This'} files are not accepted; "
            "upload JPEG, PNG, WebP or GIF."
        )
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise ImageRejected(_too_many_pixels_message(width, height))


def _decode(image):
    """Decode the first frame, upright, as a fresh image without metadata."""
    try:
        image.seek(0)
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageRejected("The picture is damaged or truncated.") from error
    mode = FORMATS[image.format][1]
    if mode and upright.mode != mode:
        upright = upright.convert(mode)
    clean = Image.new(upright.mode, upright.size)
    if upright.mode == "P":
        clean.putpalette(upright.getpalette())
    clean.paste(upright)
    if "transparency" in upright.info:
        clean.info["transparency"] = upright.info["transparency"]
    return clean


def _encode(image, format_name):
    buffer = io.BytesIO()
    options = dict(SAVE_OPTIONS[format_name])
    if "transparency" in image.info and format_name in {"PNG", "GIF"}:
        options["transparency"] = image.info["transparency"]
    image.save(buffer, format=format_name, **options)
    return buffer.getvalue()


def image_prepare(upload, *, max_bytes=MAX_BYTES):
    """Validate `upload` (a file object) and return it re-encoded as a PreparedImage.

    Raises ImageRejected with a message for the editor. Costs one decode of the
    first frame; nothing is decoded before the size and pixel checks pass.
    """
    _check_size(upload, max_bytes)
    # Read (at most the limit) into memory of our own: the caller's file stays
    # open and untouched, and a lying `size` cannot make us read more.
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise ImageRejected(f"The file is larger than {max_bytes // 1_048_576} MB.")
    image = _open_header(io.BytesIO(data))
    try:
        _check_header(image)
        format_name = image.format
        clean = _decode(image)
    finally:
        image.close()
    extension = FORMATS[format_name][0]
    data = _encode(clean, format_name)
    return PreparedImage(data, extension, clean.width, clean.height)


def generated_name(extension):
    """A new storage name that says nothing about the uploaded one."""
    return f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}.{extension}"


def rendition_name(name, width):
    """The rendition's name beside the original: `<stem>-<width>w<suffix>`."""
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}w{path.suffix}"))


def rendition_widths(width):
    """Portal widths smaller than the original (renditions never upscale)."""
    return [w for w in RENDITION_WIDTHS if width and w < width]


def _resize_to(image, width):
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _open_stored(name, storage):
    with storage.open(name, "rb") as handle:
        image = _open_header(io.BytesIO(handle.read()))
    _check_header(image)
    return image


def renditions_create(name, *, storage=default_storage):
    """Write the missing renditions of the stored picture `name`; return the names
    written (an empty list when all exist: they are made once and reused)."""
    widths = [
        width
        for width in RENDITION_WIDTHS
        if not storage.exists(rendition_name(name, width))
    ]
    if not widths:
        return []
    image = _open_stored(name, storage)
    format_name = image.format
    # JPEG can decode at 1/2, 1/4 or 1/8 scale: enough for the widest rendition.
    largest = min(image.width, RENDITION_WIDTHS[-1])
    image.draft(image.mode, (largest, largest * image.height // image.width))
    clean = _decode(image)
    written = []
    for width in rendition_widths(clean.width):
        if width in widths:
            data = _encode(_resize_to(clean, width), format_name)
            written.append(storage.save(rendition_name(name, width), ContentFile(data)))
    return written


def files_delete(names, *, storage=default_storage):
    """Remove stored files, ignoring ones already gone (used to undo a failed write)."""
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            continue


def image_store(prepared, *, storage=default_storage):
    """Write the original and its renditions; on any failure, remove what was
    written and raise ImageStorageError. Returns the names, original first."""
    written = []
    try:
        written.append(
            storage.save(generated_name(prepared.extension), ContentFile(prepared.data))
        )
        written += renditions_create(written[0], storage=storage)
    except Exception as error:
        files_delete(written, storage=storage)
        raise ImageStorageError(
            "The picture could not be stored; nothing was saved. Try again later."
        ) from error
    return written


def _cache_key(name, storage=default_storage):
    # The storage's location is part of the key: two media roots (or buckets)
    # may hold the same name with different renditions on disk.
    return f"article-image-renditions:{getattr(storage, 'location', '')}:{name}"


def rendition_urls(article_image, *, storage=default_storage):
    """{width: url} for the portal widths, the original serving the widths it
    cannot fill. Renditions missing on disk are made once; which exist is cached
    (not the URLs, which a storage may sign with an expiry)."""
    name = article_image.image.name
    if not name:
        return {}
    key = _cache_key(name, storage)
    widths = cache.get(key)
    if widths is None:
        widths = _available_widths(article_image, storage)
        cache.set(key, widths, timeout=None)
    original = article_image.width or RENDITION_WIDTHS[-1]
    return {
        w: storage.url(name if w == original else rendition_name(name, w))
        for w in widths
    }


def _available_widths(article_image, storage):
    name = article_image.image.name
    try:
        renditions_create(name, storage=storage)
    except (ImageRejected, OSError):
        # A missing or damaged original: list only the original, make nothing.
        pass
    widths = [
        w
        for w in rendition_widths(article_image.width or 0)
        if storage.exists(rendition_name(name, w))
    ]
    return sorted([*widths, article_image.width or RENDITION_WIDTHS[-1]])


def renditions_forget(name):
    cache.delete(_cache_key(name))
