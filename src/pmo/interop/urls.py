from django.urls import path

from pmo.interop import views

app_name = "interop"

urlpatterns = [
    path("projects/<str:code>/plan/import/", views.plan_import, name="plan_import"),
    path("projects/<str:code>/plan/export.<str:fmt>", views.plan_export, name="plan_export"),
    path("projects/<str:code>/plan/template.xlsx", views.plan_template, name="plan_template"),
]
