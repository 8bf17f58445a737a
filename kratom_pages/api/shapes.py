"""How API values take their shape: a schema (``kratom_pages.api.schemas``) is filled with
values, checked and dumped as JSON-ready data by ``represent``. Imports nothing of the app.
"""

from datetime import datetime
from typing import Annotated, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.functional import Promise
from pydantic import BaseModel, ConfigDict, PlainSerializer, ValidationError, WithJsonSchema


class _Schema(BaseModel):
    # from_attributes: a schema can read a model instance (a Source, a Reviewer) directly.
    model_config = ConfigDict(extra="forbid", from_attributes=True)


class ShapeError(ValueError):
    """Stored content that cannot take its documented shape (say, a choice since removed)."""


# What an empty field becomes: a draft may leave required text blank (Wagtail checks
# required fields only at publish), and previews serve drafts.
_EMPTY_VALUES = (None, "", [])


def represent(schema: type[BaseModel], values: Any) -> dict:
    """``values`` (a dict, or an object with the schema's attributes) in ``schema``'s
    shape, as JSON-ready data, so what is served cannot drift from what is documented. A
    blank field of a draft becomes its empty value; anything else that does not fit raises
    ``ShapeError``."""
    if isinstance(values, dict):  # translatable defaults (gettext_lazy) are text too
        values = {k: str(v) if isinstance(v, Promise) else v for k, v in values.items()}
    try:
        return schema.model_validate(values).model_dump(mode="json")
    except ValidationError as error:
        if not isinstance(values, dict):
            raise ShapeError(str(error)) from error
        repaired = dict(values)
        for problem in error.errors():
            name = problem["loc"][0] if problem["loc"] else None
            if name in schema.model_fields and repaired.get(name) in _EMPTY_VALUES:
                repaired[name] = _empty_value(schema, name, repaired)
        try:
            return schema.model_validate(repaired).model_dump(mode="json")
        except ValidationError as again:
            raise ShapeError(str(again)) from again


def _empty_value(schema: type[BaseModel], name: str, values: dict) -> Any:
    for empty in _EMPTY_VALUES:
        try:
            schema.model_validate({**values, name: empty})
        except ValidationError as error:
            if any(problem["loc"][:1] == (name,) for problem in error.errors()):
                continue
        return empty
    return values.get(name)


# Date-times as both APIs send them (Django's JSON encoder: milliseconds, "Z" for UTC).
Timestamp = Annotated[
    datetime,
    PlainSerializer(lambda value: DjangoJSONEncoder().default(value), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
