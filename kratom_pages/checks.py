"""System checks: a misconfigured KRATOM_PAGES setting is reported at start-up, not at
the first request that happens to read it."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from kratom_pages import conf

# Registered where they live; imported here so that importing checks registers them all.
from kratom_pages.api.checks import check_api_routes  # noqa: F401
from kratom_pages.publishing.checks import check_shared_state  # noqa: F401
from kratom_pages.syndication.checks import check_syndication_settings  # noqa: F401


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
    search_length = conf.get("API_MAX_SEARCH_LENGTH")
    if not isinstance(search_length, int) or isinstance(search_length, bool) or search_length < 1:
        errors.append(
            Error(
                "KRATOM_PAGES['API_MAX_SEARCH_LENGTH'] must be a positive integer.",
                id="kratom_pages.E030",
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
    errors.extend(_check_reply_rate_limit())
    if not isinstance(conf.get("REPLY_MODERATORS_CAN_DELETE"), bool):
        errors.append(
            Error(
                "KRATOM_PAGES['REPLY_MODERATORS_CAN_DELETE'] must be True or False.",
                id="kratom_pages.E047",
            )
        )
    errors.extend(_check_renditions())
    errors.extend(_check_rich_text_format())
    errors.extend(_check_required_apps())
    errors.extend(_check_webhooks())
    errors.extend(_check_review_workflow())
    if conf.get("FAQ_MARKUP") not in ("faq_pages", "every_page"):
        errors.append(
            Error(
                "KRATOM_PAGES['FAQ_MARKUP'] must be 'faq_pages' or 'every_page'.",
                id="kratom_pages.E064",
            )
        )
    return errors


def _check_review_workflow() -> list[Error]:
    return [
        Error(
            f"KRATOM_PAGES[{key!r}] must be True or False.",
            hint="See the README's Medical review workflow section.",
            id="kratom_pages.E060",
        )
        for key in ("REVIEW_ALLOW_SELF_APPROVAL", "REVIEW_NOTIFY_EDITORS")
        if not isinstance(conf.get(key), bool)
    ]


def _check_reply_rate_limit() -> list[Error]:
    from kratom_pages.replies.intake import parse_rate

    try:
        parse_rate(conf.get("REPLY_RATE_LIMIT"))
    except (ValueError, TypeError) as exc:
        return [Error(f"KRATOM_PAGES['REPLY_RATE_LIMIT']: {exc}.", id="kratom_pages.E043")]
    return []


REQUIRED_APPS = [
    "wagtail_modeladmin",
    "wagtail_headless_preview",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",  # the table block's editor
    "wagtail.embeds",  # the embed block
]


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
    renditions = conf.get("RENDITIONS")
    if not isinstance(renditions, dict):
        return [Error("KRATOM_PAGES['RENDITIONS'] must be a dict.", id="kratom_pages.E005")]
    errors = []
    for name, spec in renditions.items():
        if not _is_filter_spec(spec):
            errors.append(
                Error(
                    f"KRATOM_PAGES['RENDITIONS'][{name!r}] is not a valid filter spec: {spec!r}.",
                    hint="Use Wagtail filter specs such as 'width-800' or 'fill-1200x630'.",
                    id="kratom_pages.E005",
                )
            )
    social = conf.get("SOCIAL_IMAGE_RENDITION")
    if social is not None and social not in renditions:
        errors.append(
            Error(
                f"KRATOM_PAGES['SOCIAL_IMAGE_RENDITION'] names {social!r}, "
                "which is not a key of RENDITIONS.",
                hint="Set SOCIAL_IMAGE_SPEC to a filter spec instead.",
                id="kratom_pages.E006",
            )
        )
    spec = conf.get("SOCIAL_IMAGE_SPEC")
    if not _is_filter_spec(spec):
        errors.append(
            Error(
                f"KRATOM_PAGES['SOCIAL_IMAGE_SPEC'] is not a valid filter spec: {spec!r}.",
                hint="Use a Wagtail filter spec such as 'fill-1200x630'.",
                id="kratom_pages.E006",
            )
        )
    return errors


def _is_filter_spec(spec) -> bool:
    from wagtail.images.exceptions import InvalidFilterSpecError
    from wagtail.images.models import Filter

    try:
        Filter(spec=spec).operations  # noqa: B018 - parsing the spec validates it
    except (InvalidFilterSpecError, TypeError, AttributeError):
        return False
    return True


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


def _check_webhook_spec(spec) -> list[str]:
    from kratom_pages.publishing import outbound
    from kratom_pages.publishing.webhooks import signing_key

    if not isinstance(spec, dict) or not isinstance(spec.get("url"), str):
        return ["must be a dict with a 'url' string"]
    problems = []
    try:
        # Form and literal IPs only: DNS is checked at every send, not at start-up.
        outbound.check_literal(spec["url"])
    except outbound.UnsafeURL as exc:
        problems.append(f"url {spec['url']!r} is refused: {exc.reason}")
    secret = spec.get("secret")
    if not isinstance(secret, str) or not secret:
        problems.append("needs a non-empty 'secret' string")
    else:
        try:
            signing_key(secret)
        except ValueError as exc:
            problems.append(f"has a malformed secret: {exc}")
    page_types = spec.get("page_types") or []
    if not isinstance(page_types, list | tuple) or not all(isinstance(t, str) for t in page_types):
        problems.append("'page_types' must be a list of model labels")
    elif unknown := sorted(set(page_types) - installed_page_labels()):
        # Matching is on exact labels: a typo or a lowercase label would never fire.
        problems.append(
            f"'page_types' names {', '.join(map(repr, unknown))}, not installed page models "
            f"(labels are 'app_label.ModelName', such as 'kratom_pages.ArticlePage')"
        )
    return problems


def installed_page_labels() -> set[str]:
    from wagtail.models import get_page_models

    return {model._meta.label for model in get_page_models()}


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


WEBHOOK_SCALARS = {
    "WEBHOOK_TIMEOUT": lambda v: _is_number(v) and v > 0,
    "WEBHOOK_MAX_ATTEMPTS": lambda v: _is_number(v) and isinstance(v, int) and v >= 1,
    "WEBHOOK_BACKOFF": lambda v: _is_number(v) and v >= 0,
    "WEBHOOK_ALLOW_HTTP": lambda v: isinstance(v, bool),
    "WEBHOOK_SIGNATURE_HEADER": lambda v: v is None or (isinstance(v, str) and bool(v)),
    "WEBHOOK_ALLOWED_HOSTS": lambda v: (
        isinstance(v, list | tuple) and all(isinstance(h, str) and h for h in v)
    ),
}


def _check_webhooks() -> list[Error]:
    broken = [key for key, valid in WEBHOOK_SCALARS.items() if not valid(conf.get(key))]
    errors = [
        Error(
            f"KRATOM_PAGES[{key!r}] has an invalid value {conf.get(key)!r}.",
            hint="See the README's Publish webhooks section for each setting.",
            id="kratom_pages.E021",
        )
        for key in broken
    ]
    webhooks = conf.get("WEBHOOKS")
    if not isinstance(webhooks, list | tuple):
        return [*errors, Error("KRATOM_PAGES['WEBHOOKS'] must be a list.", id="kratom_pages.E020")]
    if {"WEBHOOK_ALLOW_HTTP", "WEBHOOK_ALLOWED_HOSTS"} & set(broken):
        return errors  # URLs cannot be judged against a broken http switch or allow-list
    for index, spec in enumerate(webhooks):
        errors.extend(
            Error(f"KRATOM_PAGES['WEBHOOKS'][{index}] {problem}.", id="kratom_pages.E020")
            for problem in _check_webhook_spec(spec)
        )
    return errors


@register(Tags.compatibility)
def check_wordpress_import_settings(app_configs, **kwargs):
    errors = []
    alias = conf.get("WORDPRESS_IMPORT_STORAGE")
    if alias is not None and alias not in getattr(settings, "STORAGES", {}):
        errors.append(
            Error(
                f"KRATOM_PAGES['WORDPRESS_IMPORT_STORAGE'] names {alias!r}, which is not in "
                "STORAGES.",
                hint="Use a private storage: uploaded exports hold commenters' emails and IPs.",
                id="kratom_pages.E050",
            )
        )
    for name in ("WORDPRESS_IMPORT_MAX_UPLOAD_MB", "WORDPRESS_IMPORT_MAX_MEDIA_MB"):
        value = conf.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.append(
                Error(f"KRATOM_PAGES['{name}'] must be a positive integer.", id="kratom_pages.E051")
            )
    return errors
