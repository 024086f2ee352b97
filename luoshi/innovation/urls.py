from django.urls import path

from luoshi.innovation import collection_views, framework_views, list_views, views

app_name = "innovation"

urlpatterns = [
    path("innovation/", views.ranking_page, name="ranking"),
    path("innovation/export/", views.ranking_export, name="ranking_export"),
    path("innovation/me/", views.my_enterprise, name="my_enterprise"),
    path("innovation/enterprises/", collection_views.enterprise_list, name="enterprises"),
    path("innovation/enterprises/import/", collection_views.registry_import, name="registry_import"),
    path("innovation/enterprises/<int:enterprise_id>/", views.enterprise_detail, name="enterprise"),
    path("innovation/enterprises/<int:enterprise_id>/confirm/", views.enterprise_confirm, name="confirm"),
    path("innovation/enterprises/<int:enterprise_id>/consent/", views.enterprise_consent, name="consent"),
    path("innovation/enterprises/<int:enterprise_id>/correct/", collection_views.correct, name="correct"),
    path(
        "innovation/enterprises/<int:enterprise_id>/account/",
        list_views.enterprise_account,
        name="enterprise_account",
    ),
    path("innovation/data/", collection_views.collection_page, name="collection"),
    path("innovation/data/template/", collection_views.template, name="template"),
    path("innovation/data/confirm/", collection_views.collection_confirm, name="collection_confirm"),
    path("innovation/data/settle/", collection_views.settle, name="settle"),
    path("innovation/corrections/", collection_views.corrections, name="corrections"),
    path("innovation/corrections/<int:correction_id>/review/", collection_views.review, name="review"),
    path("innovation/corrections/<int:correction_id>/evidence/", collection_views.evidence, name="evidence"),
    path("innovation/frameworks/", framework_views.framework_list, name="frameworks"),
    path("innovation/frameworks/<int:version_id>/", framework_views.framework_detail, name="framework"),
    path(
        "innovation/frameworks/<int:version_id>/publish/",
        framework_views.framework_publish,
        name="framework_publish",
    ),
    path(
        "innovation/frameworks/<int:version_id>/new/",
        framework_views.framework_new_version,
        name="framework_new",
    ),
    path("innovation/runs/", framework_views.run_list, name="runs"),
    path("innovation/runs/<int:run_id>/", framework_views.run_detail, name="run"),
    path("innovation/lists/", list_views.bank_list_list, name="shared_lists"),
    path("innovation/lists/<int:list_id>/", list_views.bank_list_detail, name="bank_list"),
    path("innovation/lists/<int:list_id>/export/", list_views.bank_list_export, name="bank_list_export"),
    path("innovation/lists/<int:list_id>/share/", list_views.bank_list_share, name="bank_list_share"),
    path("innovation/institutions/", list_views.institution_list, name="institutions"),
    path(
        "innovation/institutions/<int:institution_id>/account/",
        list_views.institution_account,
        name="institution_account",
    ),
]
