from django.urls import path

from pmo.reports import views

app_name = "reports"

urlpatterns = [
    path("onepage/", views.onepage, name="onepage"),
    path("onepage.<str:fmt>", views.onepage_download, name="onepage_download"),
]
