from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.views import (
    TokenBlacklistView,
    TokenObtainPairView,
    TokenRefreshView,
)

from . import counting


class Todos(APIView):
    def get(self, request):
        return Response([{"id": 1, "title": "ship it", "owner": request.user.username}])


def counts(request):
    return HttpResponse(counting.counts_body(), content_type="application/json")


@csrf_exempt
def reset(request):
    counting.reset()
    return HttpResponse(status=204)


@csrf_exempt
def revoke(request):
    """Blacklists every refresh token ever issued: the session is revoked on the server."""
    for token in OutstandingToken.objects.all():
        BlacklistedToken.objects.get_or_create(token=token)
    return HttpResponse(status=204)


urlpatterns = [
    path("api/token/", TokenObtainPairView.as_view()),
    path("api/token/refresh/", TokenRefreshView.as_view()),
    path("api/token/blacklist/", TokenBlacklistView.as_view()),
    path("api/todos/", Todos.as_view()),
    path("test/counts", counts),
    path("test/reset", reset),
    path("test/revoke", revoke),
]
