"""Importing extracted news items as draft articles: one service for every path."""

import datetime
import html
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from relations.slugs import slug_base, transliterate

from . import services
from .models import Article, Source, content_hash
from .sanitize import sanitize_html

# Jaccard similarity of word 3-grams above which two texts are one story re-scraped.
NEAR_DUPLICATE_THRESHOLD = 0.6
# Titles (or leads) must overlap this much before bodies are compared at all.
TITLE_OVERLAP = 0.5
# Only the most recent articles of the same language are compared (bounded cost).
CANDIDATE_LIMIT = 300
LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


@dataclass
class ImportResult:
    name: str
    status: str  # created, duplicate, near_duplicate, failed
    article: Article | None = None
    message: str = ""
    suggestions: int = 0

    @property
    def ok(self):
        return self.status != "failed"


def article_import(
    *, item, user=None, source_name=None, language=None, publish=False, tag=False
):
    """Create a draft from an `ingest.Extracted` item; the same text twice adds nothing.

    Raises PermissionDenied before writing anything when `publish` is asked for by a
    user without the publish permission, and ValueError for an unusable language.
    """
    if publish and not services.can_publish(user):
        raise PermissionDenied("You need the publish permission to publish on import.")
    article = _article_from_item(
        item, language=_checked_language(language or item.language)
    )
    existing = Article.objects.filter(content_hash=article.content_hash).first()
    if existing:
        return ImportResult(item.name, "duplicate", existing, "already imported")
    source_name = (source_name or item.source_name).strip()
    try:
        return _create(
            article,
            item=item,
            user=user,
            source_name=source_name,
            publish=publish,
            tag=tag,
        )
    except IntegrityError:
        # Another import of the same text won the race: report it as a duplicate.
        existing = Article.objects.filter(content_hash=article.content_hash).first()
        return ImportResult(item.name, "duplicate", existing, "already imported")


@transaction.atomic
def _create(article, *, item, user, source_name, publish, tag):
    # The source is created here, so a duplicate or a failure leaves no new row.
    article.source = source_get_or_create(name=source_name)
    source_language = article.source.default_language if article.source else ""
    article.language = article.language or source_language or "en"
    article.possible_duplicate_of = find_near_duplicate(article)
    services.article_save(article=article, user=user)
    if publish:
        services.article_publish(article=article, user=user)
    applied = _apply_tags(article, user) if tag else 0
    if article.possible_duplicate_of:
        other = article.possible_duplicate_of
        message = f"nearly the same text as #{other.pk} “{other.title}”"
        return ImportResult(item.name, "near_duplicate", article, message, applied)
    return ImportResult(item.name, "created", article, "", applied)


def _apply_tags(article, user):
    from .tagging import article_accept_suggestions, suggest_for_article

    suggestions = [s for s in suggest_for_article(article) if s.entity is not None]
    article_accept_suggestions(article=article, suggestions=suggestions, user=user)
    return len(suggestions)


def _article_from_item(item, *, language):
    article = Article(
        title=(item.title or fallback_title(item.lead or item.plain_text()))[:300],
        lead=item.lead,
        body=sanitize_html(item.body),
        language=language,
        source_url=item.source_url[:500] if _is_http(item.source_url) else "",
        byline=item.byline[:200],
        dateline_place=item.dateline_place[:120],
        photo_credit="; ".join(item.photo_credits)[:300],
        published_at=_noon(item.published_on),
        status=Article.Status.DRAFT,
    )
    article.content_hash = content_hash(article.title, article.body)
    return article


def _checked_language(code):
    """The given code, or "" to fall back to the source's language; else ValueError."""
    code = (code or "").strip()
    if code and (len(code) > 12 or not LANGUAGE_RE.fullmatch(code)):
        raise ValueError(f"“{code[:20]}” is not a language code such as en or de.")
    return code


def _is_http(url):
    return bool(re.match(r"https?://[^\s]+$", url or ""))


def _noon(day):
    # The original's publication day; noon keeps it on that day in any time zone.
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def fallback_title(text):
    """The first sentence, shortened at a word: a draft needs a title to be edited."""
    sentence = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    if len(sentence) <= 120:
        return sentence.rstrip(".")
    return sentence[:120].rsplit(" ", 1)[0] + "…"


def source_get_or_create(*, name):
    """The publisher called `name` (case and accents ignored), created when new."""
    if not name:
        return None
    name = name[:200]
    found = Source.objects.filter(name__iexact=name).first()
    found = found or Source.objects.filter(slug=slug_base(name)).first()
    return found or Source.objects.create(name=name)


# ------------------------------------------------------------- near duplicates


def words(text):
    text = re.sub(r"<[^>]+>", " ", html.unescape(text or ""))
    return re.findall(r"[a-z0-9]+", transliterate(text).casefold())


def shingles(text, size=3):
    tokens = words(text)
    return {tuple(tokens[i : i + size]) for i in range(max(len(tokens) - size + 1, 1))}


def jaccard(first, second):
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _full_text(article):
    return f"{article.title}\n{article.lead}\n{article.body}"


def find_near_duplicate(article):
    """The most recent article of the same language whose text is nearly the same."""
    candidates = Article.objects.filter(language=article.language)
    if article.pk:
        candidates = candidates.exclude(pk=article.pk)
    close = _similar_titles(article, candidates)
    mine = shingles(_full_text(article))
    for other in Article.objects.filter(pk__in=close[:10]).order_by("-pk"):
        if jaccard(mine, shingles(_full_text(other))) >= NEAR_DUPLICATE_THRESHOLD:
            return other
    return None


def _similar_titles(article, candidates):
    # Only the start of a lead is compared: enough to tell, and cheap.
    title, lead = set(words(article.title)), set(words(article.lead[:1000]))
    recent = candidates.order_by("-pk").values_list("pk", "title", "lead")
    return [
        pk
        for pk, other_title, other_lead in recent[:CANDIDATE_LIMIT]
        if jaccard(title, set(words(other_title))) >= TITLE_OVERLAP
        or jaccard(lead, set(words(other_lead[:1000]))) >= TITLE_OVERLAP
    ]
