"""Entities as JSON. Writes go through relations.services.entity_save."""

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    Agreement,
    BilateralRelation,
    Country,
    Event,
    Organization,
    Participation,
    Person,
    Position,
    Topic,
)
from ..services import entity_save
from .timeline import relation_timeline


def absolute(request, url):
    return request.build_absolute_uri(url) if request else url


class AliasesField(serializers.ListField):
    """Aliases are stored one per line; the API speaks lists of strings."""

    child = serializers.CharField(max_length=200)

    def to_representation(self, value):
        return [line.strip() for line in value.splitlines() if line.strip()]

    def to_internal_value(self, data):
        names = super().to_internal_value(data)
        return "\n".join(name.strip() for name in names if name.strip())


class EntityLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    slug = serializers.CharField()


class EntitySerializer(serializers.ModelSerializer):
    """Common to every writable entity: portal URL, version check, service save."""

    url = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Required on update: the version the change is based on.",
    )

    def get_url(self, entity) -> str:
        return absolute(self.context.get("request"), entity.get_absolute_url())

    def validate(self, data):
        if self.instance is not None and "version" not in data:
            raise serializers.ValidationError(
                {"version": ["Send the version your change is based on."]}
            )
        return data

    def create(self, validated_data):
        return self._save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    def _save(self, instance, data):
        expected = data.pop("version", None)
        many = {
            name: data.pop(name)
            for name in list(data)
            if instance._meta.get_field(name).many_to_many
        }
        for name, value in data.items():
            setattr(instance, name, value)
        return entity_save(entity=instance, expected_version=expected, relations=many)


ENTITY_READ_ONLY = ["id", "slug", "created_at", "updated_at"]


class CountrySerializer(EntitySerializer):
    aliases = AliasesField(required=False)

    class Meta:
        model = Country
        fields = [*ENTITY_READ_ONLY, "url", "name", "code", "aliases", "version"]
        read_only_fields = ENTITY_READ_ONLY

    def validate_code(self, code):
        if not re.fullmatch(r"[A-Za-z]{2}", code):
            raise serializers.ValidationError("Two letters (ISO 3166-1 alpha-2).")
        code = code.upper()
        taken = Country.objects.filter(code=code)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("A country with this code exists.")
        return code


class OrganizationSerializer(EntitySerializer):
    aliases = AliasesField(required=False)

    class Meta:
        model = Organization
        fields = [*ENTITY_READ_ONLY, "url", "name", "acronym", "kind", "country"]
        fields += ["aliases", "version"]
        read_only_fields = ENTITY_READ_ONLY


class PositionSerializer(serializers.ModelSerializer):
    organization = EntityLinkSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Position
        fields = ["title", "organization", "country", "start_date", "end_date"]


class PersonSerializer(EntitySerializer):
    aliases = AliasesField(required=False)
    photo = serializers.ImageField(read_only=True, allow_null=True)
    positions = PositionSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [*ENTITY_READ_ONLY, "url", "full_name", "country", "aliases", "bio"]
        fields += ["photo", "positions", "version"]
        read_only_fields = ENTITY_READ_ONLY


class ParticipationSerializer(serializers.ModelSerializer):
    person = EntityLinkSerializer(read_only=True)

    class Meta:
        model = Participation
        fields = ["person", "role"]


def check_dates(data, instance, start, end):
    """The database refuses an end before the start; say so as a 400 first."""
    first = data.get(start, getattr(instance, start, None))
    last = data.get(end, getattr(instance, end, None))
    if first and last and last < first:
        raise serializers.ValidationError({end: ["Must not be before the start."]})


class EventSerializer(EntitySerializer):
    participants = ParticipationSerializer(
        source="participations", many=True, read_only=True
    )

    class Meta:
        model = Event
        fields = [*ENTITY_READ_ONLY, "url", "title", "kind", "start_date", "end_date"]
        fields += ["city", "host_country", "countries", "organizations"]
        fields += ["participants", "description", "version"]
        read_only_fields = ENTITY_READ_ONLY

    def validate(self, data):
        check_dates(data, self.instance, "start_date", "end_date")
        return super().validate(data)


class AgreementSerializer(EntitySerializer):
    class Meta:
        model = Agreement
        fields = [*ENTITY_READ_ONLY, "url", "title", "kind", "parties", "signed_on"]
        fields += ["place", "status", "event", "description", "version"]
        read_only_fields = ENTITY_READ_ONLY


class TopicSerializer(EntitySerializer):
    aliases = AliasesField(required=False)

    class Meta:
        model = Topic
        fields = [*ENTITY_READ_ONLY, "url", "name", "description", "aliases"]
        fields += ["version"]
        read_only_fields = ENTITY_READ_ONLY


class CountryLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()


class TimelineItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(["milestone", "event", "agreement", "article"])
    date = serializers.DateField()
    precision = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True)


class RelationSerializer(serializers.ModelSerializer):
    countries = serializers.SerializerMethodField()
    codes = serializers.CharField(source="url_codes", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = BilateralRelation
        fields = ["id", "codes", "url", "countries", "established_on", "summary"]

    @extend_schema_field(CountryLinkSerializer(many=True))
    def get_countries(self, relation):
        return CountryLinkSerializer(relation.countries(), many=True).data

    def get_url(self, relation) -> str:
        return absolute(self.context.get("request"), relation.get_absolute_url())


class RelationDetailSerializer(RelationSerializer):
    timeline = serializers.SerializerMethodField()

    class Meta(RelationSerializer.Meta):
        fields = [*RelationSerializer.Meta.fields, "timeline"]

    @extend_schema_field(TimelineItemSerializer(many=True))
    def get_timeline(self, relation):
        request = self.context.get("request")
        items = relation_timeline(relation)
        for item in items:
            item["url"] = item["url"] and absolute(request, item["url"])
        return items
