"""Small response middleware of our own."""

from django.conf import settings


def permissions_policy(get_response):
    """Turn off the browser features Waypoint does not use, on every response."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware
