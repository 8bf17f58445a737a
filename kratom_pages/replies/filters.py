"""What the reply queue shows: its filters (status, opening on Pending; page; date) and
search, written once for the queue and for bulk actions on "everything in the listing"."""

import django_filters
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.models import Page

from kratom_pages.replies.models import ReaderReply

ALL = "all"
SEARCH_FIELDS = ["display_name", "body", "email", "page__title"]


def pages_with_replies(request):
    return Page.objects.filter(pk__in=ReaderReply.objects.values("page_id")).order_by("title")


class ReplyFilterSet(WagtailFilterSet):
    """Status opens on Pending: the queue is what waits. "All" is a choice of its own."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(ALL, _("All")), *ReaderReply.Status.choices],
        empty_label=None,
        initial=ReaderReply.Status.PENDING,
        method="filter_status",
    )
    # Only pages that have replies, not the root or pages that cannot take any.
    page = django_filters.ModelChoiceFilter(label=_("Page"), queryset=pages_with_replies)
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Created"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ReaderReply
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("status", ReaderReply.Status.PENDING)
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(status=value)


def replies_in_listing(query: QueryDict, request):
    """The replies a queue URL's filters and search show: "select all in listing" acts on
    these, not on every reply."""
    filters = ReplyFilterSet(query, ReaderReply.objects.all(), request=request)
    replies = filters.qs if filters.is_valid() else ReaderReply.objects.none()
    if words := query.get("q", "").strip():
        search = Q()
        for field in SEARCH_FIELDS:
            search |= Q(**{f"{field}__icontains": words})
        replies = replies.filter(search)
    return replies
