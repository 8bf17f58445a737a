"""Images for readers: what an image says (alt text, here), the renditions it is served
in (``formats``, ``pictures``), its placeholder (``placeholders``) and the task that makes
both before anyone reads them (``renditions``)."""


def alt_text(image, given: str = "", decorative: bool = False) -> str:
    """The alt text an image is shown with: "" when it is decorative (screen readers skip
    it), else the text written for this use of it (a block's or a hero's), else the
    image's own (Wagtail's ``default_alt_text``: its description, else its title), the
    rule Wagtail's ``{% image %}`` tag follows too."""
    if decorative:
        return ""
    given = (given or "").strip()
    if given:
        return given
    return (getattr(image, "default_alt_text", None) or getattr(image, "title", "")).strip()
