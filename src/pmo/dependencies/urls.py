from django.urls import path

from pmo.dependencies import views

app_name = "dependencies"

urlpatterns = [
    path("dependencies/", views.dependency_list, name="dependency_list"),
    path("dependencies/new/", views.dependency_create, name="dependency_create"),
    path("dependencies/endpoints/", views.dependency_endpoints, name="dependency_endpoints"),
    path("dependencies/<int:pk>/status/", views.dependency_status, name="dependency_status"),
    path("dependencies/<int:pk>/delete/", views.dependency_delete, name="dependency_delete"),
    path("impact/", views.impact, name="impact"),
    path("change-requests/", views.change_list, name="change_list"),
    path("change-requests/new/", views.change_create, name="change_create"),
    path("change-requests/<int:pk>/", views.change_detail, name="change_detail"),
    path(
        "change-requests/<int:pk>/transition/",
        views.change_transition,
        name="change_transition",
    ),
    path(
        "change-requests/<int:pk>/responses/",
        views.change_respond,
        name="change_respond",
    ),
    path("notifications/", views.notification_list, name="notification_list"),
]
