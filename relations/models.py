"""The world the news is about: countries, organizations, people and what they do."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact

from config.links import link

from .slugs import unique_slug


class SluggedModel(models.Model):
    """A row with a slug generated once from its name and never changed after."""

    slug = models.SlugField(max_length=80, unique=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking for API writes: see relations.services.entity_save.
    version = models.PositiveIntegerField(default=1, editable=False)

    slug_source_field = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Only a missing slug is generated: renaming keeps links stable.
        if not self.slug:
            self.slug = unique_slug(self, getattr(self, self.slug_source_field))
        super().save(*args, **kwargs)


class AliasesMixin(models.Model):
    """Other spellings, scripts and demonyms, one per line, as editors type them."""

    aliases = models.TextField(
        blank=True, help_text="Other spellings, scripts and forms, one per line."
    )

    class Meta:
        abstract = True

    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def all_names(self):
        """The display name first, then every alias (used by search and tagging)."""
        names = [str(self)] + self.alias_list()
        return list(dict.fromkeys(names))


class Country(AliasesMixin, SluggedModel):
    name = models.CharField(max_length=120)
    code = models.CharField(
        max_length=2, unique=True, help_text="ISO 3166-1 alpha-2 code, e.g. AZ."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            # Codes are stored upper-case so /countries/az/ and AZ find one row.
            models.CheckConstraint(
                condition=Q(Exact(Length("code"), 2), code=Upper("code")),
                name="country_code_upper_alpha2",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = (self.code or "").upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return link("relations:country", code=self.code.lower())


class Organization(AliasesMixin, SluggedModel):
    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental organization"
        MINISTRY = "ministry", "Ministry"
        AGENCY = "agency", "Agency"
        THINK_TANK = "think_tank", "Think tank"
        MEDIA = "media", "Media"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return link("relations:organization", slug=self.slug)

    def all_names(self):
        names = [self.name, self.acronym] + self.alias_list()
        return list(dict.fromkeys(name for name in names if name))


class PersonQuerySet(models.QuerySet):
    def holding_position_on(self, day, **position_filters):
        """People who held a matching position on `day` (open-ended ends count)."""
        positions = Position.objects.held_on(day).filter(**position_filters)
        return self.filter(pk__in=positions.values("person"))


class Person(AliasesMixin, SluggedModel):
    full_name = models.CharField(max_length=200)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    photo = models.ImageField(upload_to="people/", blank=True)
    bio = models.TextField("short bio", blank=True)

    slug_source_field = "full_name"
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return link("relations:person", slug=self.slug)


class PositionQuerySet(models.QuerySet):
    def held_on(self, day):
        """Positions held on `day`: started by then (or undated) and not yet ended."""
        started = Q(start_date__lte=day) | Q(start_date__isnull=True)
        not_ended = Q(end_date__gte=day) | Q(end_date__isnull=True)
        return self.filter(started & not_ended)

    def current(self):
        return self.held_on(datetime.date.today())


class Position(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField(max_length=200)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions",
    )
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(
        null=True, blank=True, help_text="Empty while still held."
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["person", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="position_ends_after_start",
            ),
        ]
        indexes = [
            # "Who was <country>'s foreign minister on <date>": dates per country.
            models.Index(
                fields=["country", "start_date", "end_date"],
                name="position_country_dates",
            ),
        ]

    def __str__(self):
        return f"{self.person}, {self.title}"

    def get_absolute_url(self):
        return self.person.get_absolute_url()


class Topic(AliasesMixin, SluggedModel):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return link("relations:topic", slug=self.slug)


class Event(SluggedModel):
    class Kind(models.TextChoices):
        STATE_VISIT = "state_visit", "State visit"
        OFFICIAL_VISIT = "official_visit", "Official visit"
        WORKING_VISIT = "working_visit", "Working visit"
        CONSULTATIONS = "consultations", "Political consultations"
        JOINT_COMMISSION = "joint_commission", "Joint commission session"
        SUMMIT = "summit", "Summit"
        CONFERENCE = "conference", "Conference"
        SIGNING = "signing", "Signing"
        PHONE_CALL = "phone_call", "Phone call"
        MEETING = "meeting", "Meeting"
        OTHER = "other", "Other"

    title = models.CharField(max_length=250)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEETING)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=120, blank=True)
    host_country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_events",
    )
    countries = models.ManyToManyField(Country, blank=True, related_name="events")
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="events"
    )
    participants = models.ManyToManyField(
        Person, through="Participation", blank=True, related_name="events"
    )
    description = models.TextField(blank=True)

    slug_source_field = "title"

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_ends_after_start",
            ),
        ]
        indexes = [
            # Home page "recent and upcoming events" and timelines sort by date.
            models.Index(fields=["start_date"], name="event_start_date"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return link("relations:event", slug=self.slug)


class Participation(models.Model):
    class Role(models.TextChoices):
        HOST = "host", "Host"
        GUEST = "guest", "Guest"
        HEAD_OF_DELEGATION = "head_of_delegation", "Head of delegation"
        CO_CHAIR = "co_chair", "Co-chair"
        PARTICIPANT = "participant", "Participant"

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(
        max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )

    class Meta:
        ordering = ["event", "role", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], name="participation_once_per_event"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}) at {self.event}"


class Agreement(SluggedModel):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "Agreement"
        MEMORANDUM = "memorandum", "Memorandum"
        PROTOCOL = "protocol", "Protocol"
        DECLARATION = "declaration", "Declaration"
        CONVENTION = "convention", "Convention"
        PLAN = "plan", "Plan"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"
        RATIFIED = "ratified", "Ratified"
        IN_FORCE = "in_force", "In force"
        EXPIRED = "expired", "Expired"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.AGREEMENT)
    parties = models.ManyToManyField(Country, blank=True, related_name="agreements")
    signed_on = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=120, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.SIGNED
    )
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
        help_text="The event it was signed at.",
    )
    description = models.TextField(blank=True)

    slug_source_field = "title"

    class Meta:
        ordering = ["-signed_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return link("relations:agreement", slug=self.slug)


class BilateralRelationQuerySet(models.QuerySet):
    def between(self, first, second):
        """The relation of two countries, given in either order."""
        low, high = sorted([first.pk, second.pk])
        return self.filter(country_a_id=low, country_b_id=high)


class BilateralRelation(models.Model):
    """One unordered pair of countries: stored with the lower id first."""

    country_a = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    country_b = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    established_on = models.DateField(
        "diplomatic relations established on", null=True, blank=True
    )
    summary = models.TextField(blank=True)

    objects = BilateralRelationQuerySet.as_manager()

    class Meta:
        ordering = ["country_a__name", "country_b__name"]
        constraints = [
            # Ordering the pair makes A-B and B-A one row and forbids A-A.
            models.CheckConstraint(
                condition=Q(country_a__lt=F("country_b")), name="relation_pair_ordered"
            ),
            models.UniqueConstraint(
                fields=["country_a", "country_b"], name="relation_pair_unique"
            ),
        ]

    def __str__(self):
        return f"{self.country_a} – {self.country_b}"

    def save(self, *args, **kwargs):
        if (
            self.country_a_id
            and self.country_b_id
            and self.country_a_id > self.country_b_id
        ):
            self.country_a, self.country_b = self.country_b, self.country_a
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return link("relations:relation", codes=self.url_codes())

    def countries(self):
        return [self.country_a, self.country_b]

    def url_codes(self):
        """Both codes, lower-case and alphabetical: the pair's canonical URL part."""
        return "-".join(
            sorted([self.country_a.code.lower(), self.country_b.code.lower()])
        )


class Milestone(models.Model):
    class Precision(models.TextChoices):
        YEAR = "year", "Year"
        MONTH = "month", "Month"
        DAY = "day", "Day"

    relation = models.ForeignKey(
        BilateralRelation, on_delete=models.CASCADE, related_name="milestones"
    )
    date = models.DateField(help_text="For month or year precision, use the first day.")
    precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    source_article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )

    class Meta:
        ordering = ["relation", "date"]
        indexes = [
            # The pair timeline reads a relation's milestones in date order.
            models.Index(fields=["relation", "date"], name="milestone_relation_date"),
        ]

    def __str__(self):
        return f"{self.date_display()}: {self.title}"

    def get_absolute_url(self):
        return self.relation.get_absolute_url()

    def date_display(self):
        formats = {self.Precision.YEAR: "%Y", self.Precision.MONTH: "%B %Y"}
        return self.date.strftime(formats.get(self.precision, "%-d %B %Y"))
