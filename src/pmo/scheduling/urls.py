from django.urls import path

from pmo.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("projects/<str:code>/plan/", views.plan_detail, name="plan_detail"),
    path("projects/<str:code>/plan/tasks/<int:uid>/", views.task_update, name="task_update"),
    path(
        "projects/<str:code>/plan/status-date/",
        views.status_date_update,
        name="status_date_update",
    ),
    path("projects/<str:code>/plan/links/", views.link_update, name="link_update"),
    path("projects/<str:code>/plan/baselines/", views.baseline_create, name="baseline_create"),
    path(
        "projects/<str:code>/plan/scenario/<int:scenario_id>/",
        views.scenario_apply,
        name="scenario_apply",
    ),
    path("milestones/", views.milestone_gantt, name="milestone_gantt"),
]
