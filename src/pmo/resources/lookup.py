"""Finding a resource by what a person types: the searchable resource pickers of the
allocation and capacity-change forms and their JSON search endpoint.

A picker shows ``role · name`` (each in the reader's language) and submits the resource's
id. When the browser runs no script, or a person types without picking, the form receives
the typed text instead, and :func:`resolve_resource` turns it into the resource it names;
text that names none but is part of some gets those listed to choose from.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pmo.core.errors import FieldError
from pmo.portfolio.lookup import MATCHES_LISTED, clean_typed
from pmo.resources.models import Resource

__all__ = ["LABEL_SEP", "resolve_resource", "resource_label", "search_resources"]

#: Between the role and the name in a picker's label ("Developer · Wang Fang").
LABEL_SEP = " · "


def resource_label(resource: Resource) -> str:
    """What a picker shows for ``resource``: its role and its name in the reader's language."""
    return f"{resource.role_label}{LABEL_SEP}{resource.display_name}"


def search_resources(query: str, *, limit: int = 20) -> tuple[list[Resource], bool]:
    """The active resources whose name (English or Chinese), code or role (English or
    Chinese) contains ``query`` (any letter case), at most ``limit``: a name or code typed
    exactly first, then names that start with it, then the rest by role and name. Also says
    whether more resources match."""
    rows = list(_matching(Resource.objects.filter(active=True), query)[: limit + 1])
    return rows[:limit], len(rows) > limit


def _matching(resources: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    """The ``resources`` whose name, code or role contains ``query``, in the order
    :func:`search_resources` lists them; all of them, by role and name, when nothing is typed."""
    query = clean_typed(query)
    if not query:
        return resources.order_by("role", "name", "id")
    return (
        resources.filter(
            Q(name__icontains=query)
            | Q(name_zh__icontains=query)
            | Q(code__icontains=query)
            | Q(role__icontains=query)
            | Q(role_zh__icontains=query)
        )
        .annotate(
            rank=Case(
                When(Q(name__iexact=query) | Q(name_zh__iexact=query), then=Value(0)),
                When(code__iexact=query, then=Value(0)),
                When(Q(name__istartswith=query) | Q(name_zh__istartswith=query), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "role", "name", "id")
    )


def resolve_resource(queryset: QuerySet[Resource], text: str, field: str) -> Resource:
    """The resource of ``queryset`` that ``text`` names: its id, its code, a picker's label
    (``role · name``), or its whole name in English or Chinese when only one has it.
    Raises :class:`FieldError` naming ``field`` otherwise: when several have that name, or
    ``text`` is part of some (what the picker would have listed), it lists the first few
    with their codes to choose from, as the project picker does."""
    text = clean_typed(text)
    if text.removeprefix("#").isdigit() and len(text) < 12:
        found = queryset.filter(pk=int(text.removeprefix("#"))).first()
        if found is not None:
            return found
    names = [text]
    if LABEL_SEP.strip() in text:
        names.append(text.rsplit(LABEL_SEP.strip(), 1)[1].strip())
    for name in names:
        named = queryset.filter(
            Q(code__iexact=name) | Q(name__iexact=name) | Q(name_zh__iexact=name)
        ).order_by("role", "name", "id")
        matches = list(named[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise FieldError(field, _several(text, named, named.count()))
    for name in names:
        # part of some names, codes or roles: the ones the picker would have listed
        matching = _matching(queryset, name)
        if count := matching.count():
            raise FieldError(field, _several(text, matching, count))
    raise FieldError(field, _("no resource has the name or code “%(text)s”.") % {"text": text})


def _several(text: str, matching: QuerySet[Resource], count: int) -> str:
    """Why ``text`` names no resource although ``count`` of them match it: the first few
    (:data:`~pmo.portfolio.lookup.MATCHES_LISTED`), each as ``name (code)``, to choose from."""
    # names may hold commas ("Data engineers, Shanghai"): the matches are set apart by more
    sep = pgettext("list of picker matches", "; ")
    listed = sep.join(
        pgettext("a match listed by a picker", "%(label)s (%(key)s)")
        % {"label": resource.display_name, "key": resource.code}
        for resource in matching[:MATCHES_LISTED]
    )
    if count > MATCHES_LISTED:
        listed += sep + "…"
    return ngettext(
        "%(count)s resource matches “%(text)s”: %(matches)s — pick it or type its code.",
        "%(count)s resources match “%(text)s”: %(matches)s — pick one or type its code.",
        count,
    ) % {"count": count, "text": text, "matches": listed}
