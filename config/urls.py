from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("reminders.urls")),
    path("", include("roadmap.urls")),
]

handler500 = "config.middleware.server_error"
