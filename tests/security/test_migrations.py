"""Every migration of the project's apps reverses and re-applies, keeping data."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from articles.models import Article
from relations.models import Country, Person
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PROJECT_APPS = ["relations", "articles"]


def _migrate(*args):
    call_command("migrate", *args, verbosity=0, interactive=False)


def _app_migrations(app_label):
    """The app's migrations in the order they apply."""
    loader = MigrationLoader(connection)
    plan = loader.graph.forwards_plan(loader.graph.leaf_nodes(app_label)[0])
    return [loader.graph.nodes[key] for key in plan if key[0] == app_label]


def _snapshot():
    return {
        "articles": sorted(Article.objects.values_list("slug", "status", "title")),
        "tags": sorted(Article.people.through.objects.values_list("person__slug")),
        "people": sorted(Person.objects.values_list("slug", "full_name")),
        "countries": sorted(Country.objects.values_list("code", "name")),
    }


@pytest.mark.parametrize("app_label", PROJECT_APPS)
def test_app_migrates_to_zero_and_forward_again(app_label):
    _migrate(app_label, "zero")
    assert app_label not in {
        t.split("_")[0] for t in connection.introspection.table_names()
    }
    _migrate()
    factories.PublishedArticleFactory().people.add(factories.PersonFactory())
    assert Article.objects.published().count() == 1


@pytest.mark.parametrize("app_label", PROJECT_APPS)
def test_each_later_migration_reverses_with_data_kept(app_label):
    article = factories.PublishedArticleFactory(title="Ministers agree a plan")
    article.people.add(factories.PersonFactory(full_name="Fuad Hussein"))
    factories.ArticleFactory(status=Article.Status.DRAFT)
    before = _snapshot()
    migrations = _app_migrations(app_label)
    # Undo the migrations one at a time down to the initial ones (which create the
    # tables that hold this data), re-applying all after each step.
    undone = []
    for previous, migration in reversed(
        list(zip(migrations, migrations[1:], strict=False))
    ):
        if migration.initial:
            break
        _migrate(app_label, previous.name)
        _migrate()
        undone.append(migration.name)
        assert _snapshot() == before, f"data changed undoing {migration.name}"
    assert _snapshot() == before
    assert len(undone) == sum(not m.initial for m in migrations)
