"""factory-boy factories for every model."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, ArticleImage, Source
from relations.models import (
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


def _alpha2(n):
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[(n // 26) % 26] + letters[n % 26]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")
    is_staff = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        for name in names or []:
            self.groups.add(Group.objects.get(name=name))


def editor(**kwargs):
    return UserFactory(groups=["Editor"], **kwargs)


def chief_editor(**kwargs):
    return UserFactory(groups=["Chief editor"], **kwargs)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country

    name = factory.Sequence(lambda n: f"Country {n}")
    code = factory.Sequence(lambda n: _alpha2(n + 100))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.INTERGOVERNMENTAL


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person Number{n}")
    country = factory.SubFactory(CountryFactory)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    title = "Minister of Foreign Affairs"
    country = factory.SelfAttribute("person.country")
    start_date = datetime.date(2020, 1, 1)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Meeting number {n}")
    kind = Event.Kind.MEETING
    start_date = datetime.date(2024, 4, 20)
    host_country = factory.SubFactory(CountryFactory)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    role = Participation.Role.PARTICIPANT


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Agreement on cooperation {n}")
    signed_on = datetime.date(2023, 11, 20)


class BilateralRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BilateralRelation

    country_a = factory.SubFactory(CountryFactory)
    country_b = factory.SubFactory(CountryFactory)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    relation = factory.SubFactory(BilateralRelationFactory)
    date = datetime.date(1992, 3, 1)
    precision = Milestone.Precision.MONTH
    title = "Diplomatic relations established"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"News Agency {n}")
    url = "https://news.example.org/"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Foreign ministers meet for talks number {n}")
    lead = "The ministers discussed bilateral relations."
    body = "<p>The two sides discussed trade, energy and culture.</p>"
    language = "en"
    source = factory.SubFactory(SourceFactory)
    status = Article.Status.DRAFT


class PublishedArticleFactory(ArticleFactory):
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=1)
    )


class ArticleImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleImage

    article = factory.SubFactory(ArticleFactory)
    image = factory.django.ImageField(width=40, height=30, format="PNG")
    alt_text = "Two delegations at a table"
    caption = "Talks in the capital"
    credit = "Ministry press service"
