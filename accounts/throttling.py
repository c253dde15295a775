"""Throttles on the account pages: which client is asking, and how often it may.

Failed logins are counted by django-axes (in the database); sign-ups and password-reset
requests here, in Django's cache (shared by every app server when REDIS_URL is set).
"""

import hashlib
import logging
import math
import time

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from accounts.backends import find_account

logger = logging.getLogger("waypoint.throttling")


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


def limits(action):
    """(attempts per client address, attempts per target) in each ACCOUNT_THROTTLE_PERIOD."""
    return {
        "signup": (settings.SIGNUP_LIMIT_PER_CLIENT, settings.SIGNUP_LIMIT_PER_TARGET),
        "password-reset": (
            settings.PASSWORD_RESET_LIMIT_PER_CLIENT,
            settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
        ),
    }[action]


def throttle_key(action, kind, identifier, window):
    """The cache key counting one identifier's attempts in one window. Hashed: no addresses
    in the cache, and a bounded length whatever was typed."""
    digest = hashlib.sha256(identifier.encode("utf-8", "backslashreplace")).hexdigest()
    return f"throttle:{action}:{kind}:{window}:{digest}"


def count_attempt(key, period):
    """Add one to the key's count and return it; 0 if the cache cannot count (Redis down):
    the throttle then lets requests through rather than refusing everyone."""
    cache.add(key, 0, timeout=period + 1)
    try:
        return cache.incr(key)
    except ValueError:
        return 0


def throttled(request, action, **targets):
    """Count one attempt at `action` from this client and at each target typed (a username,
    an e-mail address: counted as typed, whether or not an account has it, so the answer
    never tells). Return the seconds to wait when any count is over its limit, else 0."""
    period = int(settings.ACCOUNT_THROTTLE_PERIOD.total_seconds())
    now = time.time()
    window = int(now // period)
    per_client, per_target = limits(action)
    counts = {"client": (client_ip(request) or "", per_client)}
    for kind, typed in targets.items():
        typed = str(typed or "").strip().casefold()
        if typed:
            counts[kind] = (typed, per_target)
    over = [
        kind
        for kind, (identifier, limit) in counts.items()
        if count_attempt(throttle_key(action, kind, identifier, window), period) > limit
    ]
    if not over:
        return 0
    logger.warning("Throttled %s: too many attempts by %s", action, ", ".join(over))
    return max(1, math.ceil(period - now % period))


def throttled_page(request, action, wait):
    """The 429 page a throttled sign-up or reset request gets, with when to try again."""
    context = {"action": action, "minutes": max(1, math.ceil(wait / 60))}
    response = render(request, "accounts/throttled.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response
