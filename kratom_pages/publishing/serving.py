"""The visibility rule on pages' own URLs: a page past its ``expire_at`` is 404 at once, as
in every API, not only once ``publish_scheduled`` has unpublished it."""

from django.http import Http404
from django.utils import timezone
from wagtail import hooks


@hooks.register("before_serve_page")
def refuse_expired_pages(page, request, serve_args, serve_kwargs):
    if page.expire_at is not None and page.expire_at <= timezone.now():
        raise Http404
