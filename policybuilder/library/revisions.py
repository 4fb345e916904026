"""The library's change token: bumped on every write, read once per request.

See ``LibraryRevision`` for why a token and not a counter.
"""

from __future__ import annotations

import uuid

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from policybuilder.library.models import Clause, LibraryRevision, Section, Service

_ROW = 1


def library_changed() -> None:
    """Record that the library changed; call after writes that bypass ``save()``."""
    LibraryRevision.objects.update_or_create(pk=_ROW, defaults={"token": uuid.uuid4().hex})


def current_revision() -> str | None:
    """The current token, or None when none was recorded yet (then nothing may be cached)."""
    return LibraryRevision.objects.filter(pk=_ROW).values_list("token", flat=True).first()


@receiver(post_save, sender=Section)
@receiver(post_save, sender=Clause)
@receiver(post_save, sender=Service)
@receiver(post_delete, sender=Section)
@receiver(post_delete, sender=Clause)
@receiver(post_delete, sender=Service)
def _row_changed(**kwargs) -> None:
    library_changed()
