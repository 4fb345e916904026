from django.urls import path

from policybuilder.scans import views

urlpatterns = [
    path("d/<str:token>/scan/", views.start, name="scan-start"),
    path("d/<str:token>/scan/<slug:scan_token>/", views.results, name="scan-results"),
    path("d/<str:token>/scan/<slug:scan_token>/status/", views.status, name="scan-status"),
    path("d/<str:token>/scan/<slug:scan_token>/accept/", views.accept, name="scan-accept"),
]
