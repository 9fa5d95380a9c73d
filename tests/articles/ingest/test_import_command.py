"""manage.py import_articles: folders, progress, summary, exit status, --tag."""

import datetime
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article
from tests.factories import chief_editor, editor

from .world import SEED_FILES, build_world, seed_path, seeds_dir

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    for name in SEED_FILES.values():
        shutil.copy(seeds_dir() / name, tmp_path / name)
    (tmp_path / "broken.txt").write_bytes(b"\x00\x00binary")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")  # not a text suffix: skipped
    return tmp_path


def run(*args):
    """(stdout, stderr, error) of one run of the command."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_folder_import_goes_past_bad_files_and_sums_up(folder):
    out, err, error = run(str(folder))
    assert "[1/7]" in out and "[7/7]" in out
    assert (
        "Summary: 5 created, 0 duplicate(s), 0 near-duplicate(s) flagged, 2 failed."
        in out
    )
    assert f"{folder / 'broken.txt'}: this is a binary file" in err
    assert f"{folder / 'empty.txt'}: the file is empty" in err
    assert error is not None  # a non-zero exit status
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 5


def test_second_run_reports_duplicates_and_succeeds(folder):
    run(str(folder / SEED_FILES["visit"]))
    out, _err, error = run(str(folder / SEED_FILES["visit"]))
    assert "duplicate #" in out
    assert "0 created, 1 duplicate(s)" in out
    assert error is None
    assert Article.objects.count() == 1


def test_missing_path_fails_with_its_name(tmp_path):
    _out, err, error = run(str(tmp_path / "nowhere.txt"))
    assert "nowhere.txt: cannot be read" in err
    assert error is not None


def test_publish_needs_a_user_with_the_permission():
    path = str(seed_path("visit"))
    _out, _err, error = run(path, "--publish")
    assert "--user" in str(error)
    user = editor()
    _out, err, error = run(path, "--publish", "--user", user.username)
    assert "publish permission" in err and error is not None
    assert Article.objects.count() == 0
    chief = chief_editor()
    _out, _err, error = run(path, "--publish", "--user", chief.username)
    assert error is None
    # No date in the text: published now.
    article = Article.objects.get()
    assert article.is_public
    assert timezone.now() - article.published_at < datetime.timedelta(minutes=5)


def test_tag_option_applies_suggested_tags():
    world = build_world()
    out, _err, error = run(
        str(seed_path("consultations_en")), "--tag", "--language", "en"
    )
    assert error is None and "tags)" in out
    article = Article.objects.get()
    assert set(article.countries.all()) == {world["AZ"], world["IQ"]}
    assert world["consult_2025"] in article.events.all()
    assert (
        article.people.count() == 1
    )  # the known minister; new names wait for an editor
