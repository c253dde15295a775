from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("reminders.urls")),
    path("", include("sharing.urls")),
    path("my/roadmaps/", include("roadmap.own_urls")),
    path("", include("roadmap.urls")),
]

handler500 = "config.middleware.server_error"
handler400 = "config.middleware.bad_request"
handler403 = "config.middleware.permission_denied"
handler404 = "config.middleware.page_not_found"
