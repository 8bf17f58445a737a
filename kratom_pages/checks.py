"""System checks: a misconfigured KRATOM_PAGES setting is reported at start-up, not at
the first request that happens to read it."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from kratom_pages import conf


@register(Tags.compatibility)
def check_settings(app_configs, **kwargs):
    errors = []
    user_settings = getattr(settings, "KRATOM_PAGES", None)
    if user_settings is None:
        return errors
    if not isinstance(user_settings, dict):
        return [
            Error(
                "KRATOM_PAGES must be a dict.",
                hint="Set KRATOM_PAGES = {...} in your settings.",
                id="kratom_pages.E001",
            )
        ]
    for name in sorted(set(user_settings) - set(conf.DEFAULTS)):
        errors.append(
            Error(
                f"KRATOM_PAGES has an unknown key {name!r}.",
                hint="Known keys: " + ", ".join(sorted(conf.DEFAULTS)),
                id="kratom_pages.E002",
            )
        )
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
    return errors
