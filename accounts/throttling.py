"""How django-axes names the client it throttles: which account, from which address."""

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render

from accounts.backends import find_account


def lock_username(request, credentials):
    """The account's username for whatever was typed (its e-mail, another case), so that all
    the ways of naming one account count towards the same lock."""
    field = settings.AXES_USERNAME_FORM_FIELD
    typed = (credentials or {}).get(field) if credentials else None
    if typed is None and request is not None:
        typed = getattr(request, "POST", {}).get(field)
    if not typed:
        return typed
    account = find_account(typed)
    return account.username if account else typed.strip().lower()


def client_ip(request):
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies of ours, the
    address the outermost of them saw. X-Forwarded-For is otherwise ignored: anyone can send it.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies > 0 and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout(request, original_response=None, credentials=None):
    """The page a locked-out login gets: our layout, how long the pause is, what to do."""
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": int(get_cool_off(request).total_seconds() // 60),
    }
    return render(
        request, "accounts/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
