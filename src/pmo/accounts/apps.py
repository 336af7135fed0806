from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles, org units, people and API tokens."""

    name = "pmo.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")
