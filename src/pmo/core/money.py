"""Which ISO 4217 codes are money (ADR 0016): plain data, read by the settings (the base
currency) and by :mod:`pmo.portfolio.currencies` (projects, resources, exchange rates)."""

from __future__ import annotations

__all__ = ["NOT_MONEY"]

#: ISO 4217 codes (babel knows them) that are not the money of a country or area, refused
#: for projects, resources and rates: precious metals (XAU gold, XAG silver, XPT platinum,
#: XPD palladium), the bond markets' European units (XBA, XBB, XBC, XBD) and the old ECU
#: (XEU), units of account and funds (XUA ADB unit, XSU sucre, XAD Arab accounting dinar, XRE
#: RINET funds, XFO and XFU French gold and UIC francs, XDR the IMF's Special Drawing Rights),
#: the testing code XTS and XXX, "no currency". The X codes of real money stay: XAF, XOF
#: (CFA francs), XCD (East Caribbean dollar), XCG (Caribbean guilder), XPF (CFP franc).
NOT_MONEY = frozenset(
    {
        *("XAU", "XAG", "XPT", "XPD"),
        *("XBA", "XBB", "XBC", "XBD", "XEU"),
        *("XUA", "XSU", "XAD", "XRE", "XFO", "XFU", "XDR"),
        *("XTS", "XXX"),
    }
)
