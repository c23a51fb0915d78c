"""What changed between two versions of a campaign, as a reader can follow it.

Each version becomes plain text, one paragraph per line: the title, the summary, then the body's
headings, paragraphs, list items and Markdown source. Lines are compared first; a line that was
reworded is compared word by word, unless so little of it survived that showing it removed and
its replacement added reads better. The result is data: the template escapes every word.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html.parser import HTMLParser

from wagtail.models import Revision

from campaigns.models import Acknowledgement, CampaignPage, Release

SAME, ADDED, REMOVED, CHANGED, SKIPPED = "same", "added", "removed", "changed", "skipped"
# Unchanged paragraphs kept on each side of a change; longer unchanged runs are folded.
CONTEXT_LINES = 2
# Below this share of words in common, a reworded line is shown as removed and added.
WORD_DIFF_MIN_RATIO = 0.4
BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "tr", "dt", "dd",
}  # fmt: skip
CALLOUT_TITLES = {"tip": "Tip", "warning": "Warning", "why": "Why this matters to you"}


# --- Plain text of a version


class _RichTextLines(HTMLParser):
    """Rich text HTML as lines: one per block element; list items start with a bullet."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._words: list[str] = []
        self._prefix = ""

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._flush()
            if tag == "li":
                self._prefix = "• "
        elif tag == "br":
            self._words.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        self._words.append(data)

    def close(self):
        super().close()
        self._flush()

    def _flush(self):
        text = " ".join("".join(self._words).split())
        if text:
            self.lines.append(self._prefix + text)
        self._words, self._prefix = [], ""


def _rich_text_lines(html: str) -> list[str]:
    parser = _RichTextLines()
    parser.feed(html or "")
    parser.close()
    return parser.lines


def _plain_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def _block_lines(block_type: str, value) -> list[str]:
    if block_type == "rich_text":
        return _rich_text_lines(value.source)
    if block_type == "markdown":
        return _plain_lines(value)
    if block_type == "callout":
        title = value.get("title") or CALLOUT_TITLES.get(value.get("kind"), "")
        return [*_plain_lines(title), *_plain_lines(value.get("text"))]
    if block_type == "checklist":
        items = [f"• {item}" for item in value.get("items") or () if item]
        return [*_plain_lines(value.get("title")), *items]
    if block_type == "iso_clause":
        clause = value.get("clause")
        reference = (
            [f"{clause.standard.name} clause {clause.number} {clause.title}"] if clause else []
        )
        return [*reference, *_plain_lines(value.get("note"))]
    if block_type == "video":
        return [*_plain_lines(value.get("title")), *_plain_lines(value.get("transcript"))]
    if block_type == "image":
        return _plain_lines(value.get("caption") or value.get("alt_text"))
    if block_type == "document":
        document = value.get("document")
        label = value.get("label") or (document.title if document else "")
        return _plain_lines(label)
    return []


def campaign_text(page: CampaignPage) -> list[str]:
    """The readable text of one version of a campaign, one paragraph per line."""
    lines = [*_plain_lines(page.title), *_plain_lines(page.summary)]
    for block in page.body:
        lines.extend(_block_lines(block.block_type, block.value))
    return lines


# --- Comparing two texts


@dataclass(frozen=True)
class Piece:
    kind: str  # SAME, ADDED or REMOVED
    text: str


@dataclass(frozen=True)
class DiffLine:
    kind: str  # SAME, ADDED, REMOVED, CHANGED, or SKIPPED (`skipped` unchanged lines folded)
    pieces: tuple[Piece, ...] = ()
    skipped: int = 0


def _words_diff(old: str, new: str) -> tuple[Piece, ...] | None:
    """`old` reworded into `new` as pieces, or None when too little of it is left."""
    old_words, new_words = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    if matcher.ratio() < WORD_DIFF_MIN_RATIO:
        return None
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece(SAME, "".join(old_words[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece(REMOVED, "".join(old_words[i1:i2]).strip()))
        if tag in ("insert", "replace"):
            pieces.append(Piece(ADDED, "".join(new_words[j1:j2]).strip()))
        if pieces[-1].kind != SAME and (i2 < len(old_words) or j2 < len(new_words)):
            pieces.append(Piece(SAME, " "))
    return tuple(pieces)


def _changed_lines(old: list[str], new: list[str]) -> list[DiffLine]:
    lines: list[DiffLine] = []
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        pieces = _words_diff(before, after) if before and after else None
        if pieces is not None:
            lines.append(DiffLine(CHANGED, pieces))
            continue
        if before is not None:
            lines.append(DiffLine(REMOVED, (Piece(REMOVED, before),)))
        if after is not None:
            lines.append(DiffLine(ADDED, (Piece(ADDED, after),)))
    return lines


def text_diff(old: list[str], new: list[str], *, context: int = CONTEXT_LINES) -> list[DiffLine]:
    """The lines of `new` against `old`: unchanged, added, removed or changed word by word, with
    runs of unchanged lines far from any change folded into one SKIPPED line."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    lines: list[DiffLine] = []
    opcodes = matcher.get_opcodes()
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            lines.extend(
                _folded(
                    old[i1:i2],
                    keep_start=context if position > 0 else 0,
                    keep_end=context if position < len(opcodes) - 1 else 0,
                )
            )
        elif tag == "delete":
            lines.extend(DiffLine(REMOVED, (Piece(REMOVED, line),)) for line in old[i1:i2])
        elif tag == "insert":
            lines.extend(DiffLine(ADDED, (Piece(ADDED, line),)) for line in new[j1:j2])
        else:
            lines.extend(_changed_lines(old[i1:i2], new[j1:j2]))
    return lines


def _folded(same: list[str], *, keep_start: int, keep_end: int) -> list[DiffLine]:
    if len(same) <= keep_start + keep_end + 1:
        return [DiffLine(SAME, (Piece(SAME, line),)) for line in same]
    head = [DiffLine(SAME, (Piece(SAME, line),)) for line in same[:keep_start]]
    tail = [DiffLine(SAME, (Piece(SAME, line),)) for line in same[len(same) - keep_end :]]
    return [*head, DiffLine(SKIPPED, skipped=len(same) - keep_start - keep_end), *tail]


# --- What a reader is shown


@dataclass(frozen=True)
class CampaignChanges:
    """The changes a reader is asked to acknowledge: `baseline` is the revision compared with
    (the one they last acknowledged, else the one asked about before), None when there is
    none; `releases` are the material releases since, oldest first, with their summaries."""

    asked_about: Revision
    baseline: Revision | None
    baseline_acknowledged_at: datetime.datetime | None
    releases: list[Release] = field(default_factory=list)
    lines: list[DiffLine] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return any(line.kind not in (SAME, SKIPPED) for line in self.lines)


def changes_for(*, campaign: CampaignPage, user, release: Release) -> CampaignChanges:
    """What changed between the revision `user` last acknowledged (else the one the previous
    material release asked about) and the revision `release` asks about."""
    asked_about = release.asks_about
    acknowledged = (
        Acknowledgement.objects.filter(campaign=campaign, user=user)
        .exclude(revision_id=asked_about.pk)
        .select_related("revision")
        .order_by("-acknowledged_at", "-pk")
        .first()
    )
    material = Release.objects.filter(campaign=campaign, is_material=True).order_by("pk")
    if acknowledged is not None:
        baseline = acknowledged.revision
        since = material.filter(revision_id=baseline.pk).values_list("pk", flat=True).first()
    else:
        previous = (
            material.filter(pk__lt=_release_pk(campaign, asked_about))
            .select_related("asks_about")
            .last()
        )
        baseline = previous.asks_about if previous else None
        since = previous.pk if previous else None
    if baseline is None:
        return CampaignChanges(
            asked_about=asked_about, baseline=None, baseline_acknowledged_at=None
        )
    releases = list(material.filter(pk__gt=since or 0, pk__lte=_release_pk(campaign, asked_about)))
    return CampaignChanges(
        asked_about=asked_about,
        baseline=baseline,
        baseline_acknowledged_at=acknowledged.acknowledged_at if acknowledged else None,
        releases=releases,
        lines=text_diff(
            campaign_text(baseline.as_object()), campaign_text(asked_about.as_object())
        ),
    )


def _release_pk(campaign: CampaignPage, revision: Revision) -> int:
    # The release that first asked about `revision` is the one that published it.
    found = Release.objects.filter(campaign=campaign, revision=revision).values_list(
        "pk", flat=True
    )
    return found.first() or 0
