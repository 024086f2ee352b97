"""Site photos as images: what an upload really is (whatever its name says), whether it has more pixels than
the server should decode, and the smaller copy the project page shows. No models: projects.actions stores."""

from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# Pillow's format → (file extension, content type) of the kinds kept.
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
# 50 megapixels takes a 50 MP phone camera's photo. Checked on the header's size before anything is decoded,
# since Pillow's own guard (Image.MAX_IMAGE_PIXELS, process-wide) only warns below 179 megapixels.
MAX_PIXELS = 50_000_000
DISPLAY_SIDE = 1600  # the longest side of the copy the page shows
DISPLAY_QUALITY = 85


class ImageRefused(ValueError):
    """The upload is not a photo we keep; the message says why, in the user's language."""


@dataclass(frozen=True)
class Sniffed:
    extension: str
    content_type: str


def _too_many_pixels(name: str, width: int, height: int) -> ImageRefused:
    return ImageRefused(
        _("照片“%(name)s”为 %(w)d×%(h)d 像素（约 %(mp)d 万像素），超过 %(limit)d 万像素上限，请缩小后再上传")
        % {
            "name": name,
            "w": width,
            "h": height,
            "mp": width * height // 10_000,
            "limit": MAX_PIXELS // 10_000,
        }
    )


def _not_an_image(name: str) -> ImageRefused:
    return ImageRefused(_("文件“%(name)s”不是 JPEG、PNG 或 WebP 图片") % {"name": name})


def sniff(data: bytes, name: str) -> Sniffed:
    """The upload's real kind, read from its header and checked whole without decoding its pixels."""
    try:
        with Image.open(BytesIO(data)) as image:
            kind, (width, height) = image.format or "", image.size
            if kind in FORMATS and width * height <= MAX_PIXELS:
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Beyond twice Pillow's own limit Image.open refuses before telling the size (and between once and
        # twice it warns, which is an error where warnings are).
        raise ImageRefused(
            _("照片“%(name)s”的像素超过 %(limit)d 万像素上限，请缩小后再上传")
            % {"name": name, "limit": MAX_PIXELS // 10_000}
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _not_an_image(name) from None
    if kind not in FORMATS:
        raise _not_an_image(name)
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(name, width, height)
    extension, content_type = FORMATS[kind]
    return Sniffed(extension, content_type)


def display_copy(data: bytes, name: str) -> bytes:
    """A JPEG at most DISPLAY_SIDE pixels long, turned upright as the camera's EXIF says, without the
    original's metadata (place, device). Call after `sniff`: the pixel count is known to be bounded."""
    try:
        with Image.open(BytesIO(data)) as image:
            image.draft("RGB", (DISPLAY_SIDE, DISPLAY_SIDE))  # a JPEG decodes at a fraction of its size
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((DISPLAY_SIDE, DISPLAY_SIDE))
            rgba = upright.convert("RGBA")
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _not_an_image(name) from None
    # A new image carries none of the original's info (EXIF, ICC, comments); transparency turns white.
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = BytesIO()
    flat.save(out, "JPEG", quality=DISPLAY_QUALITY, optimize=True)
    return out.getvalue()
