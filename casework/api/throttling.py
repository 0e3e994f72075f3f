"""Throttling per API token (per user for the browser session), at settings.API_THROTTLE_RATE.

ninja's SimpleRateThrottle keeps the last request's state on the instance, which one
operation shares between threads; this one keeps it in locals and reads the rate per request.
"""

import threading

from django.conf import settings
from ninja.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self):
        self._local = threading.local()
        super().__init__(rate="1/s")  # replaced per request by the setting

    def get_cache_key(self, request):
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"token-{token.pk}"
        elif getattr(request, "user", None) is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request) -> bool:
        num_requests, duration = self.parse_rate(settings.API_THROTTLE_RATE)
        key = self.get_cache_key(request)
        now = self.timer()
        history = [t for t in self.cache.get(key, []) if t > now - duration]
        if len(history) >= num_requests:
            self._local.wait = duration - (now - history[-1])
            return False
        history.insert(0, now)
        self.cache.set(key, history, duration)
        return True

    def wait(self):
        return getattr(self._local, "wait", None)
