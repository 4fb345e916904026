"""Reading drafts."""

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone

from policybuilder.drafts.models import Draft


def expiry_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.DRAFT_EXPIRY_DAYS)


_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what ``new_token`` makes (token_urlsafe), with room


def get_draft(token: str) -> Draft:
    """The live draft with this token; ``Draft.DoesNotExist`` if unknown or expired."""
    if not _TOKEN.fullmatch(token):  # also keeps NUL and the like away from PostgreSQL
        raise Draft.DoesNotExist
    return Draft.objects.get(token=token, updated_at__gte=expiry_cutoff())


def drafts_naming(path: str, value: str) -> int:
    """How many live drafts give ``value`` in the list answer at ``path`` (e.g. a catalogue key)."""
    section, _, key = path.partition(".")
    candidates = Draft.objects.filter(
        updated_at__gte=expiry_cutoff(), **{f"answers__{section}__{key}__icontains": value}
    ).only("answers")
    return sum(value in ((draft.answers.get(section) or {}).get(key) or ()) for draft in candidates)
