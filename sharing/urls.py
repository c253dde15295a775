from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("dashboard/<slug:slug>/share/", views.share_settings, name="settings"),
    path("shared/<str:token>/", views.shared_page, name="page"),
    path("shared/<str:token>/badge.svg", views.badge, name="badge"),
]
