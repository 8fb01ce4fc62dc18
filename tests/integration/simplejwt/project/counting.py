"""Counts what the server saw, for the tests: refresh calls, refusals, reused refresh tokens."""
import json
import threading

COUNTS = {"refresh": 0, "unauthorized": 0, "api": 0, "reused": 0}
# The distinct access tokens answered 401 on the API: each should cost one refresh, no more.
REFUSED_TOKENS = set()
LOCK = threading.Lock()


def reset():
    with LOCK:
        for key in COUNTS:
            COUNTS[key] = 0
        REFUSED_TOKENS.clear()


class CountingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        with LOCK:
            if request.path == "/api/token/refresh/":
                COUNTS["refresh"] += 1
                # simplejwt answers a blacklisted (rotated) refresh token with 401 token_not_valid.
                if response.status_code == 401:
                    COUNTS["reused"] += 1
            elif request.path.startswith("/api/todos"):
                COUNTS["api"] += 1
                if response.status_code == 401:
                    COUNTS["unauthorized"] += 1
                    REFUSED_TOKENS.add(request.META.get("HTTP_AUTHORIZATION", ""))
        return response


def counts_body():
    with LOCK:
        return json.dumps({**COUNTS, "refusedTokens": len(REFUSED_TOKENS)})
