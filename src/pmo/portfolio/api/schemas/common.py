"""What the status center's schemas share: RAG and trend names, the person reference."""

from typing import Any, Literal

from ninja import Schema

RagName = Literal["green", "amber", "red"]
RAG_NAMES: dict[int, RagName] = {1: "green", 2: "amber", 3: "red"}
RAG_VALUES = {name: value for value, name in RAG_NAMES.items()}
TREND_NAMES = {1: "better", 0: "same", -1: "worse"}
DIMENSIONS = ("overall", "schedule", "cost", "scope", "resources", "quality")


class PersonRef(Schema):
    id: int
    name: str
    name_zh: str


def _person(person: Any) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.pk, "name": person.name, "name_zh": person.name_zh}
