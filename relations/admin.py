from django.contrib import admin

from articles.history_admin import HistoryAdminMixin

from .models import (
    Agreement,
    BilateralRelation,
    Country,
    Event,
    Milestone,
    Organization,
    Participation,
    Person,
    Position,
    Topic,
)
from .services import entity_save


class ReindexingAdmin(admin.ModelAdmin):
    """Saves through entity_save, so renamed entities are searchable at once."""

    def save_model(self, request, obj, form, change):
        entity_save(entity=obj)


@admin.register(Country)
class CountryAdmin(HistoryAdminMixin, ReindexingAdmin):
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code", "aliases"]
    fieldsets = [(None, {"fields": ["name", "code", "slug", "aliases"]})]


@admin.register(Organization)
class OrganizationAdmin(HistoryAdminMixin, ReindexingAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "acronym", "aliases"]
    autocomplete_fields = ["country"]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ["organization", "country"]
    fields = ["title", "organization", "country", "start_date", "end_date"]


@admin.register(Person)
class PersonAdmin(HistoryAdminMixin, ReindexingAdmin):
    list_display = ["full_name", "country", "current_position"]
    list_filter = ["country"]
    list_select_related = ["country"]
    search_fields = ["full_name", "aliases"]
    autocomplete_fields = ["country"]
    inlines = [PositionInline]
    fieldsets = [
        (None, {"fields": ["full_name", "slug", "country", "photo", "bio"]}),
        ("Other spellings", {"fields": ["aliases"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("positions")

    @admin.display(description="Latest position")
    def current_position(self, person):
        # Uses the prefetched positions (ordered newest first), no query per row.
        positions = list(person.positions.all())
        return positions[0].title if positions else "—"


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["person"]


@admin.register(Event)
class EventAdmin(HistoryAdminMixin, ReindexingAdmin):
    list_display = ["title", "kind", "start_date", "city", "host_country"]
    list_filter = ["kind", "host_country", "start_date"]
    list_select_related = ["host_country"]
    search_fields = ["title", "city", "description"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["host_country", "countries", "organizations"]
    inlines = [ParticipationInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "description"]}),
        (
            "When and where",
            {"fields": [("start_date", "end_date"), "city", "host_country"]},
        ),
        ("Who", {"fields": ["countries", "organizations"]}),
    ]


@admin.register(Agreement)
class AgreementAdmin(HistoryAdminMixin, ReindexingAdmin):
    list_display = ["title", "kind", "status", "signed_on", "place"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["parties", "event"]
    date_hierarchy = "signed_on"


class MilestoneInline(admin.StackedInline):
    model = Milestone
    extra = 1
    autocomplete_fields = ["source_article"]
    fields = [("date", "precision"), "title", "description", "source_article"]


@admin.register(BilateralRelation)
class BilateralRelationAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "established_on"]
    list_select_related = ["country_a", "country_b"]
    search_fields = ["country_a__name", "country_b__name"]
    autocomplete_fields = ["country_a", "country_b"]
    inlines = [MilestoneInline]


@admin.register(Topic)
class TopicAdmin(HistoryAdminMixin, ReindexingAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "aliases"]
