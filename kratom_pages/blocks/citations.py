"""Citing the sources library from content, and grading the evidence behind a claim."""

from django.apps import apps
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from kratom_pages import prefetch
from kratom_pages.blocks.base import PrefetchingChooserMixin
from kratom_pages.representations import source_representation

EVIDENCE_LEVELS = [
    ("strong", _("Strong")),
    ("moderate", _("Moderate")),
    ("limited", _("Limited")),
    ("anecdotal", _("Anecdotal")),
    ("none", _("No evidence")),
]

EVIDENCE_HELP = _(
    "Strong: consistent results from several good randomised trials or a systematic review. "
    "Moderate: some trials or strong observational studies, with limits. "
    "Limited: small, early or uncontrolled studies, or surveys. "
    "Anecdotal: personal reports and case reports only. "
    "No evidence: nothing beyond claims."
)


class SourceChooserBlock(PrefetchingChooserMixin, blocks.ChooserBlock):
    """Choose a Source from the library. The model and widget resolve lazily, so blocks
    never import models at load time."""

    prefetched = "sources"

    is_source_chooser = True  # how kratom_pages.prefetch recognises it

    @cached_property
    def target_model(self):
        return apps.get_model("kratom_pages", "Source")

    @cached_property
    def widget(self):
        from kratom_pages.evidence.chooser import source_chooser_viewset

        return source_chooser_viewset.widget_class()

    def get_api_representation(self, value, context=None):
        return source_representation(value)

    class Meta:
        icon = "doc-full"
        label = _("Source")


CITE_LABEL = _("Cite a source")


def citation_list_block(**kwargs) -> blocks.ListBlock:
    """The sources a claim cites. In the editor the list carries a "Cite a source" button
    that adds a citation and opens the sources chooser at once
    (``static/kratom_pages/js/cite-in-one-click.js``): one click from the claim."""
    kwargs.setdefault("label", _("Sources"))
    kwargs.setdefault("help_text", _("Sources from the library that support this text."))
    kwargs.setdefault("form_classname", "kp-citations")
    kwargs.setdefault("form_attrs", {"data-kp-cite-label": CITE_LABEL})
    return blocks.ListBlock(SourceChooserBlock(), default=[], **kwargs)


def evidence_level_block(**kwargs) -> blocks.ChoiceBlock:
    """No default: a claim nobody graded must not publish as "Limited". Required like
    Wagtail's own required fields, so a draft may leave it blank and Publish asks for it
    on the claim itself."""
    block = blocks.ChoiceBlock(
        label=_("Evidence level"),
        choices=EVIDENCE_LEVELS,
        help_text=EVIDENCE_HELP,
        **kwargs,
    )
    block.field.error_messages["required"] = _(
        "Choose an evidence level: nobody has graded this claim yet."
    )
    return block


def cited_sources_representation(block: blocks.ListBlock, value, context) -> list[dict]:
    """``[{number, source}]`` for a citation list; deleted sources are left out. Numbers
    are the page's (its reference list) inside a page body; a block serialized on its own
    numbers its sources from 1, so ``number`` is always an integer."""
    sources = [s for s in block.get_api_representation(value, context) if s]
    numbers = prefetch.citation_numbers()
    if not all(s["id"] in numbers for s in sources):
        numbers = {pk: n for n, pk in enumerate(dict.fromkeys(s["id"] for s in sources), 1)}
    return [{"number": numbers[s["id"]], "source": s} for s in sources]
