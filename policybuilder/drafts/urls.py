from django.urls import path

from policybuilder.drafts import views

urlpatterns = [
    path("new/", views.start, name="draft-start"),
    path("continue/", views.continue_draft, name="draft-continue"),
    path("upload/", views.upload, name="draft-upload"),
    path("d/<str:token>/", views.resume, name="draft-resume"),
    path("d/<str:token>/step/<slug:page_key>/", views.step, name="draft-step"),
    path("d/<str:token>/step/<slug:page_key>/preview/", views.preview, name="draft-preview"),
    path("d/<str:token>/saved/", views.saved, name="draft-saved"),
    path("d/<str:token>/review/", views.review, name="draft-review"),
    path("d/<str:token>/download.<str:fmt>", views.download, name="draft-download"),
    path("d/<str:token>/publish/", views.publish_draft, name="draft-publish"),
]
