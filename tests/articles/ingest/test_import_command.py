"""manage.py import_articles: folders, progress, summary, exit status, --tag."""

import datetime
import os
import re
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles import importing
from articles.management.commands import import_articles
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


def test_the_command_finds_names_in_another_process(monkeypatch):
    build_world()
    monkeypatch.setattr(importing, "FIND_NAMES_FROM", 1)
    found = []
    of = importing._FoundNames.of

    def recording_of(self, article):
        names = of(self, article)
        found.append(names is not None)
        return names

    monkeypatch.setattr(importing._FoundNames, "of", recording_of)
    _out, _err, error = run(str(seed_path("consultations_en")), "--tag")
    assert error is None
    assert found == [True]


@pytest.fixture
def many_files(tmp_path):
    """Twelve files: the seeds, a re-read seed (a duplicate), a binary file, and
    generated items, so a run spans several reading tasks and batches."""
    for name in SEED_FILES.values():
        shutil.copy(seeds_dir() / name, tmp_path / name)
    shutil.copy(seed_path("visit"), tmp_path / "visit-again.txt")
    (tmp_path / "broken.txt").write_bytes(b"\x00\x00binary")
    for n in range(5):
        words = " ".join(f"word{n}x{i}" for i in range(60))
        text = f"Generated item {n} on talks\n\nA lead about {words}.\n\n{words}."
        (tmp_path / f"generated-{n}.txt").write_text(text, "utf-8")
    return tmp_path


def numbers_out(out):
    """The progress lines without the article ids, which differ between runs."""
    return re.sub(r"#\d+", "#", out)


PIDS_FILE = None  # where recording_read_chunk notes the process it ran in


def recording_read_chunk(chunk):
    with open(PIDS_FILE, "a", encoding="utf-8") as pids:
        pids.write(f"{os.getpid()}\n")
    return [import_articles._read(numbered) for numbered in chunk]


def test_reading_ahead_in_other_processes_imports_as_reading_here(
    many_files, monkeypatch, tmp_path
):
    here = run(str(many_files), "--language", "en")
    Article.objects.all().delete()
    monkeypatch.setattr(import_articles, "READ_CHUNK", 2)
    monkeypatch.setattr(import_articles, "READ_AHEAD", 1)
    monkeypatch.setattr(import_articles, "READ_AHEAD_FROM", 4)
    monkeypatch.setattr(import_articles, "BATCH_SIZE", 3)
    monkeypatch.setattr(import_articles, "_read_chunk", recording_read_chunk)
    monkeypatch.setitem(globals(), "PIDS_FILE", tmp_path / "pids.txt")
    ahead = run(str(many_files), "--language", "en")
    pids = (tmp_path / "pids.txt").read_text().split()
    assert len(pids) == 6  # 12 files, 2 per task
    assert str(os.getpid()) not in pids
    assert numbers_out(ahead[0]) == numbers_out(here[0])
    assert ahead[1] == here[1] and str(ahead[2]) == str(here[2])
    assert "[12/12]" in ahead[0]
    assert "10 created, 1 duplicate(s)" in ahead[0]
    assert Article.objects.count() == 10


@pytest.mark.parametrize("ahead_from", [4, 1000])
def test_meanwhile_runs_before_the_first_file_is_handed_over(
    many_files, monkeypatch, ahead_from
):
    monkeypatch.setattr(import_articles, "READ_CHUNK", 2)
    monkeypatch.setattr(import_articles, "READ_AHEAD_FROM", ahead_from)
    files = sorted(many_files.iterdir())
    events = []
    reads = import_articles._reads(files, meanwhile=lambda: events.append("meanwhile"))
    for read in reads:
        events.append(read.number)
    assert events == ["meanwhile", *range(1, len(files) + 1)]


def test_without_fork_the_files_are_read_here(many_files, monkeypatch, tmp_path):
    monkeypatch.setattr(import_articles, "READ_CHUNK", 2)
    monkeypatch.setattr(import_articles, "READ_AHEAD_FROM", 4)
    monkeypatch.setattr(import_articles, "can_fork", lambda: False)
    monkeypatch.setattr(import_articles, "_read_chunk", recording_read_chunk)
    monkeypatch.setitem(globals(), "PIDS_FILE", tmp_path / "pids.txt")
    out, _err, _error = run(str(many_files), "--language", "en")
    assert "10 created, 1 duplicate(s)" in out
    assert not (tmp_path / "pids.txt").exists()  # no reading process was used
