"""Where a form came from: the `next` a page posts along, believed only if it is on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request):
    """The page a form was posted from (its `next` field or parameter), without its anchor,
    if it is on this site; otherwise None."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url.split("#")[0] if url and allowed else None
