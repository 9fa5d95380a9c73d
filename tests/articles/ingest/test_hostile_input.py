"""Hostile input: big adversarial text stays fast, markup stays inert in the admin."""

import random
import time

import pytest
from django.urls import reverse

from articles.importing import article_import
from articles.ingest import MAX_BYTES, extract_text, read_bytes
from tests.factories import CountryFactory, PersonFactory, editor

pytestmark = pytest.mark.django_db
# Generous for a shared machine; the runaway cases this guards against took minutes.
BOUND_SECONDS = 30


def adversarial_text(size):
    # Official titles, names, acronyms and country names in every order: the
    # worst case for the name and official-title patterns.
    words = ["Minister", "of", "Deputy", "Foreign", "Aaaa", "Bbbb", "President"]
    words += ["Iraq", "al-Khay", "Aliyev", "Baku", "consultations", "UN", "Photo:"]
    rng = random.Random(7)
    chunks, length = ["Title of the item\n"], 0
    while length < size:
        chunk = " ".join(rng.choice(words) for _ in range(12))
        chunks.append(chunk + rng.choice(["\n", " ", "\n\n"]))
        length += len(chunk) + 1
    return "".join(chunks)


def test_a_near_limit_adversarial_file_is_imported_and_tagged_quickly():
    CountryFactory(name="Iraq", code="IQ")
    PersonFactory(full_name="Ilham Aliyev")
    data = adversarial_text(MAX_BYTES - 200_000).encode()
    started = time.monotonic()
    (item,) = read_bytes(data, "big.txt")
    result = article_import(item=item, tag=True)
    assert result.status == "created"
    assert time.monotonic() - started < BOUND_SECONDS


def test_thousands_of_credit_lines_stay_cheap():
    lines = "\n".join(f"Photo: agency {n}" for n in range(200_000))
    started = time.monotonic()
    item = extract_text("Talks in the capital\n\nThe ministers met.\n" + lines)
    assert len(item.photo_credits) == 20
    assert time.monotonic() - started < BOUND_SECONDS


def test_markup_in_text_and_names_is_escaped_in_the_suggestions_panel(client):
    CountryFactory(name="Iraq", code="IQ", aliases="<img src=x onerror=alert(1)>")
    text = (
        "<script>alert(1)</script> Iraq talks\n\n"
        "Iraq and Iraq. Deputy Foreign Minister Evil Name<svg onload=alert(1)> spoke."
    )
    article = article_import(item=extract_text(text, "evil.txt")).article
    client.force_login(editor())
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror" not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
