from django.urls import path

from luoshi.bulletins import views

app_name = "bulletins"

urlpatterns = [
    path("bulletins/", views.bulletin_list, name="list"),
    path("bulletins/draft/", views.bulletin_draft, name="draft"),
    path("bulletins/<int:bulletin_id>/", views.bulletin_detail, name="detail"),
    path("bulletins/<int:bulletin_id>/redraft/", views.bulletin_redraft, name="redraft"),
    path(
        "bulletins/<int:bulletin_id>/paragraphs/<int:section>/<int:index>/",
        views.bulletin_paragraph,
        name="paragraph",
    ),
    path("bulletins/<int:bulletin_id>/title/", views.bulletin_title, name="title"),
    path("bulletins/<int:bulletin_id>/issue/", views.bulletin_issue, name="issue"),
    path("bulletins/<int:bulletin_id>/word/", views.bulletin_word, name="docx"),
    path("bulletins/<int:bulletin_id>/pdf/", views.bulletin_pdf, name="pdf"),
]
