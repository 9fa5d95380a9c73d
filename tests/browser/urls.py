"""The project's URLs plus uploaded files, so the live server can show images."""

from django.conf import settings
from django.urls import path
from django.views.static import serve

from config.urls import urlpatterns as project_urlpatterns


def media(request, path):
    # MEDIA_ROOT is a per-test folder, so it is read at request time.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [*project_urlpatterns, path("media/<path:path>", media)]
