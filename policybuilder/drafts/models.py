"""A draft policy: a person's answers, reachable only through its unguessable token."""

import secrets

from django.db import models
from django.utils import timezone


def new_token() -> str:
    """256 random bits, URL-safe: the only key to a draft, so it must not be guessable."""
    return secrets.token_urlsafe(32)


class Draft(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # Answers as the person gave them, by section and key (the answers-file shape).
    # Answers to pages that no longer apply are kept, so changing one's mind
    # and back loses nothing; normalisation leaves them out of the policy.
    answers = models.JSONField(default=dict, blank=True)
    completed_pages = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        name = (self.answers.get("organization") or {}).get("name") or "Untitled"
        return f"{name} (draft {self.pk})"
