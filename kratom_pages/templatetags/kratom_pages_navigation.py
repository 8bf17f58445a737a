"""Template tags for the frame around reader pages: the masthead's navigation and the
footer. Both read the request's Wagtail ``Site``: its name, and its root page's live,
public children that editors marked "Show in menus"."""

from django import template
from django.conf import settings
from wagtail.models import Page, Site

from kratom_pages.api.structured_data import publisher_name
from kratom_pages.publishing import visibility

register = template.Library()


def _site(request) -> Site | None:
    # Cached on the request by Wagtail: the masthead and the footer share one lookup.
    return Site.find_for_request(request) if request is not None else None


def site_name(site: Site | None) -> str:
    """The Site's name in the admin, else the publisher the JSON-LD names."""
    return (site.site_name if site else "") or publisher_name() or settings.WAGTAIL_SITE_NAME


def menu_pages(request) -> list[Page]:
    """The site root's children readers may see and editors put in menus, in tree order:
    one query whatever their number, and never a private, draft or expired page."""
    site = _site(request)
    if site is None:
        return []
    cache = getattr(request, "_kratom_menu_pages", None)
    if cache is None:
        root = site.root_page
        children = Page.objects.child_of(root).filter(show_in_menus=True).order_by("path")
        cache = list(visibility.visible_pages(children))
        request._kratom_menu_pages = cache
    return cache


def _menu(request, current) -> list[dict]:
    current_path = getattr(current, "url_path", None) or ""
    items = []
    for page in menu_pages(request):
        here = current_path == page.url_path
        items.append(
            {
                "title": page.title,
                "url": page.get_url(request),
                # The page itself, or a page inside its section.
                "current": "page"
                if here
                else ("true" if current_path.startswith(page.url_path) else ""),
            }
        )
    return items


@register.inclusion_tag("kratom_pages/includes/masthead.html", takes_context=True)
def site_masthead(context) -> dict:
    """The masthead: the site's name linking home, and the menu pages."""
    request = context.get("request")
    site = _site(request)
    return _frame(request, site, context.get("page"))


def _frame(request, site, page) -> dict:
    """What the masthead and the footer both show: the site's name, home and menu."""
    return {
        "site_name": site_name(site),
        "home_url": site.root_page.get_url(request) if site else "/",
        "menu": _menu(request, page),
    }


@register.inclusion_tag("kratom_pages/includes/footer.html", takes_context=True)
def site_footer(context) -> dict:
    """The footer: how the site writes and reviews (the editorial policy), the site's
    default medical disclaimer, and the menu pages again."""
    from kratom_pages.models.settings import HealthContentSettings

    request = context.get("request")
    site = _site(request)
    page = context.get("page")
    if hasattr(page, "effective_disclaimer"):
        # A health page's own disclaimer replaces the site's, here as in the page.
        disclaimer = page.effective_disclaimer(request)
    elif request is not None and site is not None:
        disclaimer = HealthContentSettings.for_request(request).default_disclaimer
    else:
        disclaimer = ""
    return {**_frame(request, site, page), "disclaimer": disclaimer}
