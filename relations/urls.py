from django.urls import path

from . import views

app_name = "relations"

urlpatterns = [
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("countries/<str:code>/", views.CountryDetailView.as_view(), name="country"),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization",
    ),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event"),
    path(
        "agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement"
    ),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path("relations/<str:codes>/", views.RelationDetailView.as_view(), name="relation"),
]
