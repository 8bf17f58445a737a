"""Usage and safety guidelines: short labelled items of a kind (do / caution / avoid)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from kratom_pages.api import schemas
from kratom_pages.blocks.base import (
    ConfiguredRichTextBlock,
    PreviewableBlockMixin,
    ShapedStructBlock,
)

GUIDELINE_KINDS = [
    ("do", _("Do")),
    ("caution", _("Caution")),
    ("avoid", _("Avoid")),
]


class GuidelineItemBlock(PreviewableBlockMixin, ShapedStructBlock):
    """One guideline: "Start with a low dose", why, and whether it is a do, caution or avoid."""

    api_schema = schemas.GuidelineItem

    label = blocks.CharBlock(
        label=_("Label"),
        max_length=120,
        help_text=_("A short instruction, such as 'Do not mix with alcohol'."),
    )
    explanation = ConfiguredRichTextBlock(label=_("Explanation"), required=False)
    # No default: an unjudged guideline must not publish as "Caution". Required at
    # publish only (Wagtail defers required blocks on draft saves).
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=GUIDELINE_KINDS,
        help_text=_("Do: recommended. Caution: take care. Avoid: a recognised danger."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.child_blocks["kind"].field.error_messages["required"] = _(
            "Choose do, caution or avoid for this guideline."
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["kind_label"] = dict(GUIDELINE_KINDS).get(value.get("kind"), "")
        return context

    def api_values(self, value, context) -> dict:
        # A draft may have no kind yet: null, never "".
        return {
            "kind": value.get("kind") or None,
            "kind_label": str(dict(GUIDELINE_KINDS).get(value.get("kind"), "")),
        }

    class Meta:
        icon = "tick-inverse"
        label = _("Guideline")
        template = "kratom_pages/blocks/guideline_item.html"
        description = _("A short guideline with an explanation and a do/caution/avoid kind.")
        preview_value = {
            "label": _("Do not combine with alcohol or sedatives"),
            "explanation": _("<p>Combining depressants raises the risk of serious harm.</p>"),
            "kind": "avoid",
        }


class GuidelineListBlock(PreviewableBlockMixin, ShapedStructBlock):
    """An ordered group of guidelines under an optional heading."""

    api_schema = schemas.GuidelinesValue

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    items = blocks.ListBlock(GuidelineItemBlock(), label=_("Guidelines"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Guideline list")
        template = "kratom_pages/blocks/guideline_list.html"
        description = _("A group of guidelines under an optional heading.")
        preview_value = {
            "heading": _("Safety guidelines"),
            "items": [
                {"label": _("Talk to a clinician first"), "explanation": "", "kind": "do"},
                {
                    "label": _("Check for medicine interactions"),
                    "explanation": "",
                    "kind": "caution",
                },
                {"label": _("Avoid mixing with opioids"), "explanation": "", "kind": "avoid"},
            ],
        }
