"""Sign-in, sign-out and the language switch."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts import services
from pmo.core.errors import FieldError
from pmo.core.views import bad_request_page


class LoginView(auth_views.LoginView):
    """Django's sign-in with our template; signed-in users go straight on."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language for this browser and, when signed in, remember it on the user."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if language not in dict(settings.LANGUAGES):
        message = _("unknown language %(language)r") % {"language": language}
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
