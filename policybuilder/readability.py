"""How hard a policy is to read: sentence lengths and the Flesch–Kincaid grade.

A privacy policy only informs people who can read it, so the limits are
measured rather than hoped for: no sentence over ``MAX_SENTENCE_WORDS`` words
and a grade of at most ``MAX_GRADE`` for every policy the library can build
(the property tests check both over generated answers).

What counts is the prose a reader meets, taken from each clause's Markdown:

- every paragraph is split into sentences, and every list item is a sentence
  of its own (a list of short items is the point of writing a list);
- headings and table cells are not sentences, and neither is a bold run-in heading such as
  "**Do Not Track.**" at the start of a paragraph;
- links count by the text people see, so an address counts only where it is
  written out (a website, an email address), and then as one word;
- abbreviations ("e.g.", "U.S.", "Inc.") and citations ("Cal. Civ. Code
  1798.82") do not end a sentence.

Syllables come from pyphen's en_US hyphenation dictionary, which ships with
the package (textstat fetches data at run time, and the machines that run
the tests have no network).  Hyphenation points undercount syllables in short
words ("every" has one point, "area" none), so a word the dictionary does not
split is counted by its vowel groups instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyphen

from policybuilder.markdown import parse

if TYPE_CHECKING:
    from policybuilder.document import PolicyDocument

MAX_SENTENCE_WORDS = 35
MAX_GRADE = 8.0

# Abbreviations after which a full stop never ends a sentence, in any case:
# they come before what they stand for ("e.g. cookies").
_NEVER_ENDS = frozenset("e.g i.e cf vs approx incl esp viz".split())
# Titles, citations and months, written with a capital: "Cal. Civ. Code 1798.82",
# "Tex. Bus. & Com. Code", "Dr. Smith", "Jan. 1".  Case matters, so that "mass."
# or "wash." at the end of a sentence still ends it.
_CAPITALISED = frozenset(
    """
    Mr Mrs Ms Dr St Mt Ft
    Cal Civ Bus Prof Com Gov Govt Pen Fam Veh Ins Fin Educ Lab Rev Gen Ann Admin Comp Const Stat Regs
    Ala Ariz Ark Colo Conn Del Fla Ga Ind Ia Kan Ky La Md Mass Mich Minn Miss Mo Mont Neb Nev
    Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    """.split()
)
# Section markers, which do not end a sentence when a number follows: "No. 4", "Art. 13", "sec. 2".
_BEFORE_NUMBER = frozenset("no nos art arts sec secs para paras ch reg pt".split())
# Abbreviations that close a name ("Stripe, Inc."): the full stop ends a
# sentence only when a capital letter or a number follows.
_MAY_END = frozenset("inc ltd llc corp co plc gmbh ag sa nv bv etc al".split())

_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_DOTTED_LETTERS = re.compile(r"^(?:[A-Za-z]\.){2,}$")  # U.S., e.g., a.m.
_INITIAL = re.compile(r"^[A-Z]\.$")  # "John A. Smith"
_LETTER_OR_DIGIT = re.compile(r"[A-Za-z0-9À-ÿ]")
_LETTER_RUNS = re.compile(r"[a-zà-ÿ]+")
_DIGIT_RUNS = re.compile(r"[0-9]+")
_VOWEL_GROUPS = re.compile(r"[aeiouyà-ÿ]+")


@functools.cache
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


# --- Sentences ----------------------------------------------------------------------------


def _ends_sentence(text: str, end: re.Match[str]) -> bool:
    """Whether the punctuation matched at ``end`` closes a sentence, not an abbreviation."""
    if "." not in end.group(0) or end.group(0).rstrip("\"'”’)]")[-1] != ".":
        return True  # "?" and "!" always end one
    before = text[: end.start()].rsplit(None, 1)
    word = (before[-1] if before else "").lstrip("(\"'“‘[")
    token = word + "."
    following = text[end.end() :].lstrip()
    if _DOTTED_LETTERS.match(token) or _INITIAL.match(token) or word.lower() in _NEVER_ENDS:
        return False
    if word in _CAPITALISED:
        return False
    if word.lower() in _BEFORE_NUMBER and following[:1].isdigit():
        return False
    if word.lower() in _MAY_END:
        return not following or following[0].isupper() or following[0].isdigit()
    return True


def split_sentences(text: str) -> list[str]:
    """Split one block of prose (a paragraph or a list item) into sentences.

    A sentence ends at ".", "!" or "?" (with any closing quote or bracket)
    followed by a space or the end; full stops inside numbers, addresses and
    abbreviations do not end one.  Empty pieces are dropped.
    """
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        if _ends_sentence(text, end):
            sentences.append(text[start : end.end()].strip())
            start = end.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if words(s)]


def words(sentence: str) -> list[str]:
    """The words of a sentence: runs of non-space holding a letter or digit ("&" and "–" are not words)."""
    return [token for token in sentence.split() if _LETTER_OR_DIGIT.search(token)]


# --- Syllables ----------------------------------------------------------------------------


def _vowel_groups(word: str) -> int:
    """A fallback estimate: groups of vowels, less a silent final "e" ("make", not "table")."""
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


@functools.lru_cache(maxsize=8192)
def _letters_syllables(run: str) -> int:
    points = _dictionary().positions(run)
    return len(points) + 1 if points else _vowel_groups(run)


def syllables(word: str) -> int:
    """The syllables of one word (at least 1).

    Letters are counted by pyphen's dictionary or, where it finds no
    hyphenation point, by vowel groups; each part of a compound or an address
    ("e-mail", "privacy@shop.example") is counted on its own.  A number is
    read one syllable per digit, which is close for the short numbers a
    policy holds ("30", "13").
    """
    lowered = word.lower().replace("’", "").replace("'", "")
    total = sum(_letters_syllables(run) for run in _LETTER_RUNS.findall(lowered))
    total += sum(len(run) for run in _DIGIT_RUNS.findall(lowered))
    return max(1, total)


# --- Grade ----------------------------------------------------------------------------------


def flesch_kincaid_grade(word_count: int, sentence_count: int, syllable_count: int) -> float:
    """The Flesch–Kincaid grade level: 0.39·words/sentences + 11.8·syllables/words − 15.59."""
    if not word_count or not sentence_count:
        return 0.0
    return 0.39 * word_count / sentence_count + 11.8 * syllable_count / word_count - 15.59


@dataclass(frozen=True)
class Sentence:
    """One sentence of a policy and the clause it came from (empty for text outside a clause)."""

    text: str
    clause_key: str = ""

    @property
    def words(self) -> list[str]:
        return words(self.text)

    @property
    def word_count(self) -> int:
        return len(self.words)

    @property
    def syllable_count(self) -> int:
        return sum(syllables(word) for word in self.words)


@dataclass(frozen=True)
class Readability:
    """The measurements of one text: its sentences and what they add up to."""

    sentences: tuple[Sentence, ...]

    @property
    def word_count(self) -> int:
        return sum(s.word_count for s in self.sentences)

    @property
    def syllable_count(self) -> int:
        return sum(s.syllable_count for s in self.sentences)

    @property
    def grade(self) -> float:
        return flesch_kincaid_grade(self.word_count, len(self.sentences), self.syllable_count)

    @property
    def longest(self) -> Sentence | None:
        return max(self.sentences, key=lambda s: s.word_count, default=None)

    def too_long(self, limit: int = MAX_SENTENCE_WORDS) -> list[Sentence]:
        return [s for s in self.sentences if s.word_count > limit]

    def hardest(self, count: int = 5) -> list[Sentence]:
        """The sentences that pull the grade up most (long and full of long words), for error messages."""

        def weight(s: Sentence) -> float:
            return flesch_kincaid_grade(s.word_count, 1, s.syllable_count)

        return sorted(self.sentences, key=weight, reverse=True)[:count]


# --- From Markdown and documents ----------------------------------------------------------


def _blocks(markdown_source: str) -> Iterator[str]:
    """The prose blocks of Markdown: paragraphs and list items, as plain text, headings and table
    cells (data, such as the cookie table's names and durations) left out."""
    in_heading = in_table = False
    for token in parse(markdown_source):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type in ("table_open", "table_close"):
            in_table = token.type == "table_open"
        elif token.type == "inline" and not in_heading and not in_table:
            yield _visible_text(token)


def _visible_text(token) -> str:  # token: markdown_it.token.Token
    """The text a reader sees: link text rather than addresses, and no run-in bold heading."""
    children = list(token.children or [])
    # A paragraph that opens with a bold phrase ending in "." or ":" opens with a heading.
    meaningful = [c for c in children if not (c.type == "text" and not c.content.strip())]
    if len(meaningful) >= 3 and meaningful[0].type == "strong_open" and meaningful[2].type == "strong_close":
        label = meaningful[1].content.strip() if meaningful[1].type == "text" else ""
        if label.endswith((".", ":")):
            children = children[children.index(meaningful[2]) + 1 :]
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def markdown_sentences(markdown_source: str, clause_key: str = "") -> list[Sentence]:
    """The sentences of a Markdown text, each list item at least one."""
    return [
        Sentence(text, clause_key) for block in _blocks(markdown_source) for text in split_sentences(block)
    ]


def document_sentences(document: PolicyDocument) -> list[Sentence]:
    """Every sentence of an assembled policy, the short version included, tagged with its clause
    (section titles are headings)."""
    return [
        sentence
        for section in document.parts
        for clause in section.clauses
        for sentence in markdown_sentences(clause.markdown, clause.key)
    ]


def measure(document: PolicyDocument) -> Readability:
    return Readability(tuple(document_sentences(document)))


def measure_markdown(markdown_source: str) -> Readability:
    return Readability(tuple(markdown_sentences(markdown_source)))
