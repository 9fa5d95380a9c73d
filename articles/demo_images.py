"""Demo pictures drawn with Pillow, so the demo needs no downloads."""

import hashlib
import io
import textwrap

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 675)
CREDIT = "Illustration: demo data"
MARGIN = 70


def _colour_for(text):
    digest = hashlib.sha1(text.encode("utf-8")).digest()
    return tuple(40 + byte % 120 for byte in digest[:3])


def draw_card(text):
    """A 16:9 PNG with `text` on a colour derived from it (same text, same picture)."""
    image = Image.new("RGB", SIZE, _colour_for(text))
    draw = ImageDraw.Draw(image)
    lines = textwrap.wrap(text, width=32)[:5]
    draw.rectangle((MARGIN, 90, MARGIN + 120, 98), fill=(255, 255, 255))
    draw.multiline_text(
        (MARGIN, 130),
        "\n".join(lines),
        fill=(255, 255, 255),
        font=ImageFont.load_default(size=56),
        spacing=18,
    )
    draw.text(
        (MARGIN, SIZE[1] - 80),
        CREDIT,
        fill=(230, 230, 230),
        font=ImageFont.load_default(size=28),
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def ensure_demo_image_files(images):
    """Draw a picture for every ArticleImage whose file is missing; return how many.

    The card shows the image's alt text, so the picture says what the alt text says.
    """
    written = 0
    for article_image in images:
        name = article_image.image.name
        if name and not default_storage.exists(name):
            default_storage.save(name, ContentFile(draw_card(article_image.alt_text)))
            written += 1
    return written
