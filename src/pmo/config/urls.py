from django.contrib import admin
from django.urls import include, path

from pmo.config.api import api

admin.site.site_header = "PMO Hub"
admin.site.site_title = "PMO Hub"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("pmo.accounts.urls")),
    path("reports/", include("pmo.reports.urls")),
    path("", include("pmo.resources.urls")),
    path("", include("pmo.scheduling.urls")),
    path("", include("pmo.interop.urls")),
    path("", include("pmo.governance.urls")),
    path("", include("pmo.dependencies.urls")),
    path("", include("pmo.portfolio.urls")),
]

handler400 = "pmo.core.views.bad_request"
handler403 = "pmo.core.views.permission_denied"
handler404 = "pmo.core.views.page_not_found"
handler500 = "pmo.core.views.server_error"
