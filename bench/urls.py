"""The site's URLs plus a bare view, so pages can be compared with Django doing nothing."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site


def bare(request, size):
    """`size` bytes through the same middleware as every page, and no other work."""
    return HttpResponse(b"x" * size)


urlpatterns = [path("bench/bare/<int:size>/", bare), *site]
