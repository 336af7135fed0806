"""Which ISO 4217 codes are money (ADR 0016): plain data, read by the settings (the base
currency) and by :mod:`pmo.portfolio.currencies` (projects, resources, exchange rates)."""

from __future__ import annotations

__all__ = ["FUNDS", "NOT_MONEY"]

#: ISO 4217's fund codes: units a country indexes, settles or accounts in beside its money,
#: which nobody keeps a project budget in. Source: the ISO 4217 maintenance agency's (SIX)
#: List One, where each is marked ``<CcyNm IsFund="true">`` (edition of 2024-06-25: BOV
#: Bolivian Mvdol, CHE WIR euro, CHW WIR franc, CLF Chilean Unidad de Fomento, COU Colombian
#: Unidad de Valor Real, MXV Mexican Unidad de Inversión, USN US dollar next day, UYI
#: Uruguayan peso in indexed units), and List Three (historic) for the withdrawn fund codes
#: USS (US dollar same day, 2014) and ECV (Ecuador's Unidad de Valor Constante, 2000). UYW
#: (Uruguay's Unidad Previsional, a wage-indexed unit since 2018) carries no fund mark in that
#: edition but is an index unit like UYI, so it is refused with them. Each is a code babel
#: knows (``babel.numbers.list_currencies()``). Supranational units that List One also marks
#: or lists (XAD, XBA-XBD, XUA, XSU) are below with the other X codes.
FUNDS = frozenset({"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW", "USS", "ECV"})

#: ISO 4217 codes (babel knows them) that are not the money of a country or area, refused
#: for projects, resources and rates: precious metals (XAU gold, XAG silver, XPT platinum,
#: XPD palladium), the bond markets' European units (XBA, XBB, XBC, XBD) and the old ECU
#: (XEU), units of account and funds (XUA ADB unit, XSU sucre, XAD Arab accounting dinar, XRE
#: RINET funds, XFO and XFU French gold and UIC francs, XDR the IMF's Special Drawing Rights),
#: the testing code XTS and XXX, "no currency", and the national fund codes (:data:`FUNDS`).
#: The X codes of real money stay: XAF, XOF (CFA francs), XCD (East Caribbean dollar), XCG
#: (Caribbean guilder), XPF (CFP franc).
NOT_MONEY = frozenset(
    {
        *("XAU", "XAG", "XPT", "XPD"),
        *("XBA", "XBB", "XBC", "XBD", "XEU"),
        *("XUA", "XSU", "XAD", "XRE", "XFO", "XFU", "XDR"),
        *("XTS", "XXX"),
        *FUNDS,
    }
)
