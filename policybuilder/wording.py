"""Small helpers that make generated text read as English."""

from __future__ import annotations

from collections.abc import Iterable


def join_list(items: Iterable[object], conjunction: str = "and") -> str:
    """Join items the way a person writes them: "a", "a and b", "a, b and c".

    Empty items are skipped, so an optional value never leaves a stray comma.
    When an item has a comma of its own, the serial comma keeps the last two
    apart ("a, b, such as c, and d").
    """
    words = [str(item) for item in items if str(item).strip()]
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    serial = "," if len(words) > 2 and any("," in word for word in words) else ""
    return f"{', '.join(words[:-1])}{serial} {conjunction} {words[-1]}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 day", "2 days"."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def days_as_words(days: int) -> str:
    """A period in the unit people use for it: "3 years" for 1095 days, "6 months" for 180, "45 days".

    Years are counted as 365 days and months as 30, the way such periods are usually chosen.
    """
    if days >= 365 and days % 365 == 0:
        return plural(days // 365, "year")
    if days >= 30 and days % 30 == 0:
        return plural(days // 30, "month")
    if days >= 7 and days % 7 == 0:
        return plural(days // 7, "week")
    return plural(days, "day")
