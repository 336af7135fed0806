from django.urls import path

from pmo.governance import calendar_views, review_views, steering_views, template_views, views

app_name = "governance"

urlpatterns = [
    path("lifecycle-templates/", template_views.template_list, name="template_list"),
    path("lifecycle-templates/new/", template_views.template_create, name="template_create"),
    path(
        "lifecycle-templates/<int:template_id>/",
        template_views.template_detail,
        name="template_detail",
    ),
    path(
        "lifecycle-templates/<int:template_id>/delete/",
        template_views.template_delete,
        name="template_delete",
    ),
    path("projects/<str:code>/lifecycle/", views.lifecycle_detail, name="lifecycle_detail"),
    path("projects/<str:code>/lifecycle/start/", views.lifecycle_start, name="lifecycle_start"),
    path("projects/<str:code>/gate-reviews/new/", views.review_create, name="review_create"),
    path(
        "projects/<str:code>/gate-reviews/<int:review_id>/",
        review_views.review_detail,
        name="review_detail",
    ),
    path(
        "projects/<str:code>/gate-reviews/<int:review_id>/deliverables/<int:deliverable_id>/file/",
        review_views.review_deliverable_file,
        name="review_deliverable_file",
    ),
    path(
        "projects/<str:code>/gate-reviews/<int:review_id>/withdraw/",
        review_views.review_withdraw,
        name="review_withdraw",
    ),
    path(
        "projects/<str:code>/gate-conditions/<int:condition_id>/close/",
        views.condition_close,
        name="condition_close",
    ),
    path("gate-calendar/", calendar_views.gate_calendar, name="calendar"),
    path("gate-calendar.ics", calendar_views.gate_calendar_ics, name="calendar_ics"),
    path("steering-meetings/", steering_views.meeting_list, name="meeting_list"),
    path(
        "steering-meetings/<int:meeting_id>/", steering_views.meeting_detail, name="meeting_detail"
    ),
]
