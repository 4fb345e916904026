from django.urls import path

from policybuilder.drafts.views import review, start, steps

# Publishing a draft (``draft-publish``) is the publishing app's page: see its urls.
urlpatterns = [
    path("new/", start.start, name="draft-start"),
    path("continue/", start.continue_draft, name="draft-continue"),
    path("upload/", start.upload, name="draft-upload"),
    path("examples/<slug:slug>/start/", start.start_from_example, name="example-start"),
    path("d/<str:token>/", steps.resume, name="draft-resume"),
    path("d/<str:token>/step/<slug:page_key>/", steps.step, name="draft-step"),
    path("d/<str:token>/step/<slug:page_key>/preview/", steps.preview, name="draft-preview"),
    path("d/<str:token>/saved/", steps.saved, name="draft-saved"),
    path("d/<str:token>/saved/email/", steps.email_link, name="draft-email-link"),
    path("d/<str:token>/review/", review.review, name="draft-review"),
    path("d/<str:token>/download.<str:fmt>", review.download, name="draft-download"),
]
