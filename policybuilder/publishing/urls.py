from django.urls import path

from policybuilder.publishing import api, views

urlpatterns = [
    path("d/<str:token>/publish/", views.publish_draft, name="draft-publish"),
    path("policies/<slug:public_id>.json", api.version_json, name="policy-json"),
    path("policies/<slug:public_id>/", views.current, name="policy"),
    path("policies/<slug:public_id>/v/<int:number>/", views.current, name="policy-version"),
    path("policies/<slug:public_id>/v/<int:number>.json", api.version_json, name="policy-version-json"),
    path(
        "policies/<slug:public_id>/v/<int:number>/download.<str:fmt>", views.download, name="policy-download"
    ),
    path("policies/<slug:public_id>/history/", views.history, name="policy-history"),
    path("policies/<slug:public_id>/diff/", views.diff, name="policy-diff"),
    path("policies/<slug:public_id>/embed/", views.embed, name="policy-embed"),
    path("embed.js", views.embed_script, name="embed-script"),
]
