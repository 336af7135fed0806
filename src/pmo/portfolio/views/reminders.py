"""The status center's "Remind to report" buttons (the whole filtered list, or one row)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, PermissionDeniedError
from pmo.portfolio import selectors
from pmo.portfolio.services.reminders import projects_by_code, remind_reports
from pmo.portfolio.views.projects import filters_of


class RemindForm(forms.Form):
    """What a "Remind to report" button posts: the list's filters, or one project's code."""

    query = forms.CharField(required=False, max_length=2000)
    project = forms.CharField(label=_("Project"), required=False, max_length=40)


@login_required
@require_POST
def remind_reports_view(request: HttpRequest) -> HttpResponse:
    """Remind the managers of the listed projects missing their report (``query``: the status
    center's filters), or of the one project ``project``; back to the list with what was sent
    and skipped."""
    user = user_of(request)
    if not user.is_pmo:
        raise PermissionDenied(_("only the PMO sends report reminders"))
    form = RemindForm(request.POST)
    valid = form.is_valid()
    query = QueryDict(form.cleaned_data.get("query") or "", mutable=True)
    query.pop("page", None)
    back = f"{reverse('portfolio:project_list')}?{query.urlencode()}"
    if not valid:
        for name, errors in form.errors.items():
            label = form.fields[name].label or name
            messages.error(
                request,
                f"{label}{pgettext('label separator', ': ')}{' '.join(str(e) for e in errors)}",
            )
        return redirect(back)
    code = form.cleaned_data["project"].strip()
    try:
        if code:
            projects = projects_by_code(user, [code], "project")
        else:
            _form, filters = filters_of(query)
            projects = list(
                selectors.status_center(user, filters).filter(Q(missing=True)).order_by("code")
            )
        result = remind_reports(actor=user, projects=projects)
    except PermissionDeniedError:
        raise PermissionDenied from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if result.sent:
        messages.success(request, result.message())
    else:
        messages.warning(request, result.message())
    return redirect(back)
