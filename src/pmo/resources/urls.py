from django.urls import path

from pmo.resources import views
from pmo.resources.views import capacity as capacity_views
from pmo.resources.views import capacity_sheet

app_name = "resources"

urlpatterns = [
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/heatmap/", views.heatmap_view, name="heatmap"),
    path("resources/heatmap/cell/", views.heatmap_cell, name="heatmap_cell"),
    path("resources/availability/", views.availability, name="availability"),
    path("resources/requests/", views.requests_to_commit, name="requests"),
    path("resources/import/", capacity_sheet.capacity_import, name="capacity_import"),
    path("resources/new/", views.resource_form, name="resource_create"),
    path("resources/calendar-days/", views.calendar_days, name="calendar_days"),
    path("resources/roles/", views.role_list, name="role_list"),
    path("resources/roles/new/", views.role_form, name="role_create"),
    path("resources/roles/<int:pk>/edit/", views.role_form, name="role_edit"),
    path("resources/roles/<int:pk>/delete/", views.role_delete, name="role_delete"),
    path("resources/roles/<int:pk>/merge/", views.role_merge, name="role_merge"),
    path("resources/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", views.resource_form, name="resource_edit"),
    path(
        "resources/<int:pk>/capacity/",
        capacity_views.resource_capacity_add,
        name="resource_capacity_add",
    ),
    path(
        "resources/<int:pk>/capacity/delete/",
        capacity_views.resource_capacity_delete,
        name="resource_capacity_delete",
    ),
    path("resources/scenarios/", views.scenario_list, name="scenario_list"),
    path("resources/scenarios/compare/", views.scenario_compare, name="scenario_compare"),
    path("resources/scenarios/<int:pk>/", views.scenario_detail, name="scenario_detail"),
    path("resources/scenarios/<int:pk>/shift/", views.scenario_shift, name="scenario_shift"),
    path(
        "resources/scenarios/<int:pk>/capacity/",
        views.scenario_capacity,
        name="scenario_capacity",
    ),
    path("resources/scenarios/<int:pk>/level/", views.scenario_level, name="scenario_level"),
    path(
        "resources/scenarios/<int:pk>/staffing/",
        views.scenario_staffing,
        name="scenario_staffing",
    ),
    path(
        "resources/scenarios/<int:pk>/allocations/<int:allocation>/",
        views.scenario_allocation_edit,
        name="scenario_allocation_edit",
    ),
    path("resources/scenarios/<int:pk>/refresh/", views.scenario_refresh, name="scenario_refresh"),
    path(
        "resources/scenarios/<int:pk>/projects/<str:code>/reset/",
        views.scenario_reset,
        name="scenario_reset",
    ),
    path("resources/leveling-runs/<int:pk>/", views.leveling_run, name="leveling_run"),
    path(
        "resources/leveling-runs/<int:pk>/cancel/",
        views.leveling_cancel,
        name="leveling_cancel",
    ),
    path(
        "resources/scenarios/<int:pk>/<str:action>/",
        views.scenario_close,
        name="scenario_close",
    ),
    path("projects/<str:code>/staffing/", views.project_staffing, name="project_staffing"),
    path("resources/allocations/<int:pk>/", views.allocation_edit, name="allocation_edit"),
]
