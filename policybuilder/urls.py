from django.contrib import admin
from django.urls import include, path

from policybuilder import views
from policybuilder.admin_site import configure as configure_admin
from policybuilder.drafts.views import start

handler400 = "policybuilder.views.bad_request"

# Every app's admin module is loaded by now (the admin's autodiscover runs in its ready()).
configure_admin(admin.site)

urlpatterns = [
    path("", start.home, name="home"),
    path("examples/<slug:slug>/", views.example, name="example"),
    path("examples/<slug:slug>/download.<str:fmt>", views.example_download, name="example-download"),
    path("", include("policybuilder.drafts.urls")),
    path("", include("policybuilder.publishing.urls")),
    path("", include("policybuilder.scans.urls")),
    path("healthz/", views.health, name="health"),
    path("healthz/live/", views.alive, name="alive"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
]
