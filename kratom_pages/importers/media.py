"""Images for imported posts: found in a local copy of ``wp-content/uploads`` (matched by
path), or fetched only when asked and only through the webhook client's outbound rules
(public addresses, no redirects, no proxies). Each source URL becomes one Wagtail image,
however many posts show it and however often the import runs."""

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from willow.image import Image as WillowImage

from kratom_pages import conf
from kratom_pages.importers.models import ImportedImage
from kratom_pages.importers.nodes import ImageRef
from kratom_pages.importers.wxr import ExportSummary
from kratom_pages.publishing import outbound

UPLOADS = "/wp-content/uploads/"
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")  # "leaf-300x200.jpg": a resized copy
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}


class MediaMissing(Exception):
    """The image cannot be imported; the message says why."""


@dataclass
class Found:
    image_id: int | None  # None in a dry run: the file exists but nothing was stored
    alt: str


def uploads_root(media_dir: Path | None) -> Path | None:
    """Accept the uploads folder itself or a folder holding ``wp-content/uploads``."""
    if media_dir is None:
        return None
    nested = media_dir / "wp-content" / "uploads"
    return nested if nested.is_dir() else media_dir


def _relative_path(url: str) -> str:
    path = unquote(urlsplit(url).path)
    return path.split(UPLOADS, 1)[1] if UPLOADS in path else path.rsplit("/", 1)[-1]


def max_bytes() -> int:
    return getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)


def fetch(url: str) -> bytes:
    """GET ``url`` after the outbound checks, to the address that passed them, reading at
    most the image upload limit."""
    headers = {"User-Agent": "kratom-pages-importer"}
    try:
        status, body = outbound.get(url, headers, conf.get("WEBHOOK_TIMEOUT"), max_bytes() + 1)
    except outbound.UnsafeURL as exc:
        raise MediaMissing(_("refused: %(reason)s") % {"reason": _(exc.reason)}) from None
    except outbound.TransportError as exc:
        raise MediaMissing(str(exc)) from None
    if status != 200:
        raise MediaMissing(f"HTTP {status}")
    if len(body) > max_bytes():
        raise MediaMissing(_("larger than the image upload limit"))
    return body


class MediaLibrary:
    """Resolves ``ImageRef``s to Wagtail images for one import run."""

    def __init__(self, summary: ExportSummary, media_dir=None, fetch_media=False, dry_run=False):
        self.summary = summary
        self.root = uploads_root(Path(media_dir) if media_dir else None)
        self.fetch_media = fetch_media
        self.dry_run = dry_run
        self.resolved: dict[str, Found | str] = {}  # source URL -> Found or why missing

    def ref_for_attachment(self, attachment_id: int) -> ImageRef | None:
        attachment = self.summary.attachments.get(attachment_id)
        if attachment is None or not attachment.url:
            return None
        return ImageRef(
            attachment.url,
            alt=attachment.alt,
            caption=attachment.caption,
            attachment_id=attachment_id,
        )

    def gallery_refs(self, ids: list[int], post_id: int) -> list[ImageRef]:
        """A ``[gallery]``'s images: the listed attachments, else (as WordPress does) the
        images uploaded to the post. An id missing from the export stays, to be reported."""
        if not ids:
            ids = [
                key
                for key, attachment in self.summary.attachments.items()
                if attachment.parent_id == post_id
                and PurePosixPath(_relative_path(attachment.url)).suffix.lower() in IMAGE_SUFFIXES
            ]
        return [self.ref_for_attachment(i) or ImageRef("", attachment_id=i) for i in ids]

    def is_foreign(self, ref: ImageRef) -> bool:
        """An image the site never hosted (a tracking pixel, another site's picture): not
        an attachment, not under an uploads folder, not on the site or its file host."""
        if ref.attachment_id in self.summary.attachments:
            return False
        parts = urlsplit(ref.src)
        host, site = parts.hostname or "", urlsplit(self.summary.site_url).hostname or ""
        own = host in ("", site) or host.endswith(".files.wordpress.com") or UPLOADS in parts.path
        return not own

    def resolve(self, ref: ImageRef) -> Found | str:
        """A ``Found`` image, or a short reason it is missing."""
        attachment = self.summary.attachments.get(ref.attachment_id)
        url = attachment.url if attachment and attachment.url else ref.src
        key = url or f"attachment:{ref.attachment_id}"
        if key not in self.resolved:
            try:
                self.resolved[key] = self._resolve(url, attachment)
            except MediaMissing as exc:
                named = url or _("attachment %(id)d") % {"id": ref.attachment_id}
                self.resolved[key] = f"{named} ({exc})"
        found = self.resolved[key]
        if isinstance(found, Found) and not ref.alt and attachment:
            return Found(found.image_id, attachment.alt)
        return found

    def _resolve(self, url: str, attachment) -> Found:
        if not url:
            raise MediaMissing(_("not in the export"))
        alt = attachment.alt if attachment else ""
        url_hash = hashlib.sha256(url.encode()).hexdigest()
        existing = (
            ImportedImage.objects.filter(url_hash=url_hash)
            .values_list("image_id", flat=True)
            .first()
        )
        if existing:
            return Found(existing, alt)
        data, name = self._read(url, attachment)
        try:
            WillowImage.open(io.BytesIO(data)).get_size()
        except Exception:  # noqa: BLE001 - Willow raises many kinds for a bad file
            raise MediaMissing(_("not an image Wagtail can read")) from None
        if self.dry_run:
            return Found(None, alt)
        title = (attachment.title if attachment else "") or PurePosixPath(name).stem
        image = get_image_model()(title=title[:255], description=alt[:255])
        image.file = ImageFile(io.BytesIO(data), name=PurePosixPath(name).name)
        image._set_image_file_metadata()
        image.save()
        ImportedImage.objects.create(url_hash=url_hash, source_url=url, image=image)
        return Found(image.pk, alt)

    def _read(self, url: str, attachment) -> tuple[bytes, str]:
        relative = _relative_path(url)
        if PurePosixPath(relative).suffix.lower() not in IMAGE_SUFFIXES:
            raise MediaMissing(_("not an image file"))
        if self.root is not None:
            candidates = [relative, _SIZE_SUFFIX.sub("", relative)]
            if attachment and attachment.path:
                candidates.append(attachment.path)
            root = self.root.resolve()
            for candidate in candidates:
                path = (root / candidate).resolve()
                # A crafted URL ("../../etc") must not read outside the uploads copy.
                if path.is_relative_to(root) and path.is_file():
                    if path.stat().st_size > max_bytes():
                        raise MediaMissing(_("larger than the image upload limit"))
                    return path.read_bytes(), relative
        if self.fetch_media:
            return fetch(url), relative
        raise MediaMissing(_("file not found") if self.root else _("no --media-dir given"))
