"""Sign-in, sign-out, the sign-in lockout page and the language switch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pmo.accounts import services
from pmo.core.errors import FieldError
from pmo.core.sentences import quoted
from pmo.core.views import bad_request_page


class LoginView(auth_views.LoginView):
    """Django's sign-in with our template; signed-in users go straight on."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page saying the username is locked out here for a while (status 429).

    django-axes calls it (``AXES_LOCKOUT_CALLABLE``) instead of its bare 429 text when a
    username has failed too often from this address; the form stays, so the user can try
    again once the wait is over.
    """
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    message = ngettext(
        "Too many failed sign-ins for %(username)s: wait %(minutes)d minute and try again, "
        "or ask a PMO administrator to unlock the account.",
        "Too many failed sign-ins for %(username)s: wait %(minutes)d minutes and try again, "
        "or ask a PMO administrator to unlock the account.",
        minutes,
    ) % {"username": username, "minutes": minutes}
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "next": next_url, "locked_out": message}
    return render(request, "accounts/login.html", context, status=429)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language for this browser and, when signed in, remember it on the user."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if language not in dict(settings.LANGUAGES):
        message = _("unknown language %(language)s") % {"language": quoted(language)}
        return bad_request_page(request, message)
    if request.user.is_authenticated:
        try:
            services.set_user_language(user=request.user, language=language)
        except FieldError as exc:
            return bad_request_page(request, exc.message)
    translation.activate(language)
    response = HttpResponseRedirect(next_url)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response
