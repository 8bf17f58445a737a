"""System checks: a misconfigured KRATOM_PAGES setting is reported at start-up, not at
the first request that happens to read it."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from kratom_pages import conf


@register(Tags.compatibility)
def check_settings(app_configs, **kwargs):
    user_settings = getattr(settings, "KRATOM_PAGES", None)
    if user_settings is not None and not isinstance(user_settings, dict):
        return [
            Error(
                "KRATOM_PAGES must be a dict.",
                hint="Set KRATOM_PAGES = {...} in your settings.",
                id="kratom_pages.E001",
            )
        ]
    errors = [
        Error(
            f"KRATOM_PAGES has an unknown key {name!r}.",
            hint="Known keys: " + ", ".join(sorted(conf.DEFAULTS)),
            id="kratom_pages.E002",
        )
        for name in sorted(set(user_settings or {}) - set(conf.DEFAULTS))
    ]
    size = conf.get("INDEX_PAGE_SIZE")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        errors.append(
            Error(
                "KRATOM_PAGES['INDEX_PAGE_SIZE'] must be a positive integer.",
                id="kratom_pages.E003",
            )
        )
    for key in ("RICH_TEXT_FEATURES", "LEDE_FEATURES"):
        value = conf.get(key)
        if not isinstance(value, list | tuple) or not all(isinstance(f, str) for f in value):
            errors.append(
                Error(
                    f"KRATOM_PAGES[{key!r}] must be a list of feature names.",
                    id="kratom_pages.E004",
                )
            )
    errors.extend(_check_renditions())
    errors.extend(_check_rich_text_format())
    errors.extend(_check_required_apps())
    return errors


REQUIRED_APPS = ["wagtail_modeladmin", "wagtail_headless_preview", "wagtail.contrib.settings"]


def _check_required_apps() -> list[Error]:
    from django.apps import apps

    return [
        Error(
            f"kratom-pages needs {name!r} in INSTALLED_APPS.",
            hint="See the README's install steps.",
            id="kratom_pages.E008",
        )
        for name in REQUIRED_APPS
        if not apps.is_installed(name)
    ]


def _check_renditions() -> list[Error]:
    from wagtail.images.exceptions import InvalidFilterSpecError
    from wagtail.images.models import Filter

    renditions = conf.get("RENDITIONS")
    if not isinstance(renditions, dict):
        return [Error("KRATOM_PAGES['RENDITIONS'] must be a dict.", id="kratom_pages.E005")]
    errors = []
    for name, spec in renditions.items():
        try:
            Filter(spec=spec).operations  # noqa: B018 - parsing the spec validates it
        except (InvalidFilterSpecError, TypeError, AttributeError):
            errors.append(
                Error(
                    f"KRATOM_PAGES['RENDITIONS'][{name!r}] is not a valid filter spec: {spec!r}.",
                    hint="Use Wagtail filter specs such as 'width-800' or 'fill-1200x630'.",
                    id="kratom_pages.E005",
                )
            )
    social = conf.get("SOCIAL_IMAGE_RENDITION")
    if social not in renditions:
        errors.append(
            Error(
                f"KRATOM_PAGES['SOCIAL_IMAGE_RENDITION'] names {social!r}, "
                "which is not a key of RENDITIONS.",
                id="kratom_pages.E006",
            )
        )
    return errors


def _check_rich_text_format() -> list[Error]:
    from wagtail.api.rich_text import APIRichText

    value = conf.get("RICH_TEXT_FORMAT")
    allowed = sorted(APIRichText._serializers())
    if value not in allowed:
        return [
            Error(
                f"KRATOM_PAGES['RICH_TEXT_FORMAT'] must be one of {allowed}, not {value!r}.",
                id="kratom_pages.E007",
            )
        ]
    return []
