"""What an image says to readers, decided once for the API, the templates and JSON-LD."""


def alt_text(image, given: str = "") -> str:
    """The alt text an image is shown with: the text written for this use of it (a block's
    or a hero's), else the image's own (Wagtail's ``default_alt_text``: its description,
    else its title), the rule Wagtail's ``{% image %}`` tag follows too."""
    given = (given or "").strip()
    if given:
        return given
    return (getattr(image, "default_alt_text", None) or getattr(image, "title", "")).strip()
