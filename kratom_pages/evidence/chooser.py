"""Admin viewsets: the chooser editors use to pick a Source inside blocks."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet

from kratom_pages.models import Source


class SourceChooserViewSet(ChooserViewSet):
    model = Source
    icon = "doc-full"
    choose_one_text = _("Choose a source")
    choose_another_text = _("Choose another source")
    edit_item_text = _("Edit this source")
    form_fields = ["title", "authors", "publication", "year", "url", "doi", "kind"]


source_chooser_viewset = SourceChooserViewSet("kratom_source_chooser")
