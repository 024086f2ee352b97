from django.urls import path

from luoshi.arena import views

app_name = "arena"

urlpatterns = [
    path("arena/", views.session_list, name="session_list"),
    path("arena/new/", views.session_new, name="session_new"),
    path("arena/<int:session_id>/", views.session_detail, name="session_detail"),
    path("arena/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("arena/<int:session_id>/open/", views.session_open, name="session_open"),
    path("arena/<int:session_id>/close/", views.session_close, name="session_close"),
    path("arena/<int:session_id>/ballot/", views.ballot, name="ballot"),
    path("arena/<int:session_id>/ballot/<int:presenter_id>/", views.cast, name="cast"),
    path("arena/<int:session_id>/results/", views.results, name="results"),
    path("arena/<int:session_id>/results/screen/", views.results_screen, name="results_screen"),
]
