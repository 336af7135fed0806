"""REST endpoints of portfolios and programs: list, read, create and change them (PMO)."""

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.audit.selectors import list_events
from pmo.core.api import Body, Id, Pages, Version
from pmo.core.errors import NotFoundError
from pmo.core.sentences import quoted
from pmo.portfolio.api.schemas import AuditEventOut
from pmo.portfolio.models import Portfolio, Program
from pmo.portfolio.services import structure

router = Router(tags=["portfolios and programs"])

Code = Field(
    ...,
    min_length=1,
    max_length=40,
    pattern=r"^[-a-zA-Z0-9_]+$",
    description="letters, digits, - and _; unique, also regardless of case",
)
Name = Field(..., min_length=1, max_length=200, description="English name (not blank)")
NameZh = Field("", max_length=200, description="Chinese name, shown in the Chinese interface")


class PortfolioOut(Schema):
    code: str
    name: str
    name_zh: str
    description: str
    programs: int = Field(description="how many programs it has")
    projects: int = Field(description="how many projects are filed in it")
    version: int

    @staticmethod
    def resolve_programs(obj: Portfolio) -> int:
        return obj.n_programs  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_projects(obj: Portfolio) -> int:
        return obj.n_projects  # type: ignore[attr-defined,no-any-return]


class PortfolioIn(Body):
    code: str = Code
    name: str = Name
    name_zh: str = NameZh
    description: str = Field("", max_length=10_000)


class PortfolioPatch(Body):
    version: Version
    code: str | None = Field(None, min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str | None = Field(None, min_length=1, max_length=200)
    name_zh: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=10_000)


class ProgramOut(Schema):
    code: str
    name: str
    name_zh: str
    description: str
    portfolio: str = Field(description="the portfolio's code")
    manager: int | None = Field(None, description="the program manager's person id")
    manager_name: str | None = None
    projects: int = Field(description="how many projects it has")
    version: int

    @staticmethod
    def resolve_portfolio(obj: Program) -> str:
        return obj.portfolio.code

    @staticmethod
    def resolve_manager(obj: Program) -> int | None:
        return obj.manager_id

    @staticmethod
    def resolve_manager_name(obj: Program) -> str | None:
        return obj.manager.display_name if obj.manager else None

    @staticmethod
    def resolve_projects(obj: Program) -> int:
        return obj.n_projects  # type: ignore[attr-defined,no-any-return]


class ProgramIn(Body):
    code: str = Code
    name: str = Name
    name_zh: str = NameZh
    description: str = Field("", max_length=10_000)
    portfolio: str = Field(..., min_length=1, max_length=40, description="a portfolio's code")
    manager: Id | None = Field(None, description="a person's id (GET /people)")


class ProgramPatch(Body):
    version: Version
    code: str | None = Field(None, min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str | None = Field(None, min_length=1, max_length=200)
    name_zh: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=10_000)
    portfolio: str | None = Field(
        None, min_length=1, max_length=40, description="only while no project is filed in it"
    )
    manager: Id | None = Field(None, description="a person's id; null removes the manager")


def _portfolios() -> Any:
    return Portfolio.objects.annotate(
        n_programs=Count("programs", distinct=True), n_projects=Count("projects", distinct=True)
    ).order_by("code")


def _programs() -> Any:
    return (
        Program.objects.select_related("portfolio", "manager")
        .annotate(n_projects=Count("projects"))
        .order_by("code")
    )


def _portfolio(code: str) -> Portfolio:
    portfolio = _portfolios().filter(code=code).first()
    if portfolio is None:
        raise NotFoundError(_("no portfolio with code %(code)s") % {"code": quoted(code)})
    return portfolio


def _program(code: str) -> Program:
    program = _programs().filter(code=code).first()
    if program is None:
        raise NotFoundError(_("no program with code %(code)s") % {"code": quoted(code)})
    return program


def _changes(payload: Body) -> tuple[dict[str, Any], int]:
    data = payload.dict(exclude_unset=True)
    return data, data.pop("version")


@router.get("/portfolios", response=list[PortfolioOut], summary="List portfolios")
@paginate(Pages)
def list_portfolios(request: HttpRequest):  # type: ignore[no-untyped-def]
    return _portfolios()


@router.post("/portfolios", response={201: PortfolioOut}, summary="Create a portfolio (PMO)")
def create_portfolio(request: HttpRequest, payload: PortfolioIn) -> Any:
    portfolio = structure.create_portfolio(actor=user_of(request), data=payload.dict())
    return Status(201, _portfolio(portfolio.code))


@router.get("/portfolios/{code}", response=PortfolioOut, summary="One portfolio")
def get_portfolio(request: HttpRequest, code: str) -> Any:
    return _portfolio(code)


@router.patch(
    "/portfolios/{code}", response=PortfolioOut, summary="Change a portfolio (PMO, version-checked)"
)
def update_portfolio(request: HttpRequest, code: str, payload: PortfolioPatch) -> Any:
    data, version = _changes(payload)
    portfolio = structure.update_portfolio(
        actor=user_of(request), portfolio=_portfolio(code), data=data, version=version
    )
    return _portfolio(portfolio.code)


@router.get(
    "/portfolios/{code}/audit", response=list[AuditEventOut], summary="A portfolio's history"
)
@paginate(Pages)
def portfolio_audit(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return list_events(scope=structure.scope_of_frame(_portfolio(code)))


@router.get("/programs", response=list[ProgramOut], summary="List programs")
@paginate(Pages)
def list_programs(request: HttpRequest, portfolio: str = ""):  # type: ignore[no-untyped-def]
    programs = _programs()
    if portfolio:
        programs = programs.filter(portfolio=_portfolio(portfolio))
    return programs


@router.post("/programs", response={201: ProgramOut}, summary="Create a program (PMO)")
def create_program(request: HttpRequest, payload: ProgramIn) -> Any:
    program = structure.create_program(actor=user_of(request), data=payload.dict())
    return Status(201, _program(program.code))


@router.get("/programs/{code}", response=ProgramOut, summary="One program")
def get_program(request: HttpRequest, code: str) -> Any:
    return _program(code)


@router.patch(
    "/programs/{code}", response=ProgramOut, summary="Change a program (PMO, version-checked)"
)
def update_program(request: HttpRequest, code: str, payload: ProgramPatch) -> Any:
    data, version = _changes(payload)
    program = structure.update_program(
        actor=user_of(request), program=_program(code), data=data, version=version
    )
    return _program(program.code)


@router.get("/programs/{code}/audit", response=list[AuditEventOut], summary="A program's history")
@paginate(Pages)
def program_audit(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return list_events(scope=structure.scope_of_frame(_program(code)))
