from django.urls import path

from pmo.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("projects/export.<str:fmt>", views.project_export, name="project_export"),
    path("reminders/", views.remind_reports_view, name="remind_reports"),
    path("exchange-rates/", views.exchangerate_list, name="exchangerate_list"),
    path(
        "exchange-rates/<str:currency>/<str:day>/delete/",
        views.exchangerate_delete,
        name="exchangerate_delete",
    ),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<str:code>/", views.project_detail, name="project_detail"),
    path("projects/<str:code>/edit/", views.project_edit, name="project_edit"),
    path("projects/<str:code>/rag-history.svg", views.rag_history_chart, name="project_rag_chart"),
    path("projects/<str:code>/reports/new/", views.statusreport_create, name="statusreport_create"),
    path(
        "projects/<str:code>/reports/<int:report_id>/",
        views.statusreport_detail,
        name="statusreport_detail",
    ),
    path(
        "projects/<str:code>/reports/<int:report_id>/edit/",
        views.statusreport_edit,
        name="statusreport_edit",
    ),
    path(
        "projects/<str:code>/reports/<int:report_id>/submit/",
        views.statusreport_submit,
        name="statusreport_submit",
    ),
    path("projects/<str:code>/raid/<str:kind>/new/", views.raid_create, name="raid_create"),
    path("projects/<str:code>/raid/<str:kind>/<int:item_id>/", views.raid_edit, name="raid_edit"),
    path(
        "projects/<str:code>/raid/<str:kind>/<int:item_id>/status/",
        views.raid_status,
        name="raid_status",
    ),
    path("projects/<str:code>/milestones/new/", views.milestone_create, name="milestone_create"),
    path(
        "projects/<str:code>/milestones/<int:milestone_id>/",
        views.milestone_edit,
        name="milestone_edit",
    ),
]
