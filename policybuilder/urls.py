from django.contrib import admin
from django.urls import path

from policybuilder import views

urlpatterns = [
    path("", views.home, name="home"),
    path("examples/<slug:slug>/", views.example, name="example"),
    path("examples/<slug:slug>/download.<str:fmt>", views.example_download, name="example-download"),
    path("admin/", admin.site.urls),
]
