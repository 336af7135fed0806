"""What the status center's schemas share: RAG and trend names, the person reference."""

from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator

RagName = Literal["green", "amber", "red"]
RAG_NAMES: dict[int, RagName] = {1: "green", 2: "amber", 3: "red"}
RAG_VALUES = {name: value for value, name in RAG_NAMES.items()}
TREND_NAMES = {1: "better", 0: "same", -1: "worse"}


def _rag_name(value: Any) -> Any:
    return RAG_NAMES.get(value, value) if isinstance(value, int) else value


RagOut = Annotated[RagName, BeforeValidator(_rag_name)]
"""A RAG dimension read from a model (stored 1-3) as its name; a name passes as it is."""
DIMENSIONS = ("overall", "schedule", "cost", "scope", "resources", "quality")


class PersonRef(Schema):
    id: int
    name: str
    name_zh: str


def _person(person: Any) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.pk, "name": person.name, "name_zh": person.name_zh}
