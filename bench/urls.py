"""The site's URLs plus a bare view, so pages can be compared with Django doing nothing."""

import os

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site


def bare(request, size):
    """`size` bytes through the same middleware as every page, and no other work."""
    return HttpResponse(b"x" * size)


def worker_header(get_response):
    """Middleware: `X-Bench-Worker` names the process that answered."""

    def middleware(request):
        response = get_response(request)
        response["X-Bench-Worker"] = str(os.getpid())
        return response

    return middleware


urlpatterns = [path("bench/bare/<int:size>/", bare), *site]
