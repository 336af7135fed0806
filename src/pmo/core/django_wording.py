"""Django's own form and validator messages, worded again for the Chinese interface.

Django's zh-hans catalogue words some messages users meet on every form in a way our
readers stumble over ("确保该变量包含不超过 255 字符 (目前字符数 303)。" calls a field a
variable and uses half-width brackets; "这个字段是必填项。" beside our "请输入数字。"). Our
catalogue comes first in ``LOCALE_PATHS``, so a message with the very same msgid translated
there replaces Django's wording everywhere. Listing the msgids here keeps them in our
catalogue: ``makemessages`` only keeps what it finds in our code. Nothing imports this module
at run time; the strings must stay identical to Django's (``core/tests/test_django_wording``
checks that Django still uses each of them).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

__all__ = ["PLURAL", "SINGLE"]

SINGLE = (
    gettext_noop("This field is required."),
    gettext_noop("This field cannot be blank."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
)

PLURAL = (
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
)
