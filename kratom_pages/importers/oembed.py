"""Which addresses can become embed blocks: those an embed finder of the project
(``WAGTAILEMBEDS_FINDERS``, by default every oEmbed provider Wagtail knows) accepts."""

from urllib.parse import urlsplit

from wagtail.embeds.finders import get_finders


def embeddable(url: str) -> bool:
    """Whether a finder knows the address: a pattern match, nothing is fetched."""
    if urlsplit(url).scheme not in ("http", "https"):
        return False
    return any(finder.accept(url) for finder in get_finders())
