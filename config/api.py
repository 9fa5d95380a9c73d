"""The API's one router, its bulk feeds, schema, docs and token endpoints."""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from articles.api import views as article_views
from relations.api import views as relation_views

from .api_common import LoginThrottle, api_not_found


class ObtainTokenView(APIView):
    """Trade a username and password for a token (the same one until revoked)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=AuthTokenSerializer,
        responses=inline_serializer(
            "TokenResponse", {"token": serializers.CharField()}
        ),
    )
    def post(self, request):
        # One answer for an unknown user, a wrong password and an inactive account.
        serializer = AuthTokenSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


class RevokeTokenView(APIView):
    """Delete the caller's token: every client using it is signed out."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("articles", article_views.ArticleViewSet, basename="article")
router.register("people", relation_views.PersonViewSet, basename="person")
router.register("countries", relation_views.CountryViewSet, basename="country")
router.register(
    "organizations", relation_views.OrganizationViewSet, basename="organization"
)
router.register("events", relation_views.EventViewSet, basename="event")
router.register("agreements", relation_views.AgreementViewSet, basename="agreement")
router.register("relations", relation_views.RelationViewSet, basename="relation")
router.register("topics", relation_views.TopicViewSet, basename="topic")
router.register("sources", article_views.SourceViewSet, basename="source")

urlpatterns = [
    path(
        "articles/export.ndjson",
        article_views.ArticleNDJSONExportView.as_view(),
        name="article-export-ndjson",
    ),
    path(
        "articles/export.csv",
        article_views.ArticleCSVExportView.as_view(),
        name="article-export-csv",
    ),
    path(
        "events.ics", relation_views.EventCalendarView.as_view(), name="event-calendar"
    ),
    path("auth/token/", ObtainTokenView.as_view(), name="token-obtain"),
    path("auth/token/revoke/", RevokeTokenView.as_view(), name="token-revoke"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    re_path(r"", api_not_found),
]
