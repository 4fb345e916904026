"""Reading published policies."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from policybuilder.library.models import Clause
from policybuilder.publishing.models import PolicyVersion, PublishedPolicy


def get_policy(public_id: str) -> PublishedPolicy:
    """``PublishedPolicy.DoesNotExist`` for an unknown id."""
    if not public_id or len(public_id) > 32:
        raise PublishedPolicy.DoesNotExist
    return PublishedPolicy.objects.get(public_id=public_id)


def get_version(policy: PublishedPolicy, number: int | None = None) -> PolicyVersion:
    """A version by number, or the current (latest) one; ``PolicyVersion.DoesNotExist`` if none."""
    versions = policy.versions.all()
    if number is None:
        version = versions.order_by("-number").first()
        if version is None:
            raise PolicyVersion.DoesNotExist
        return version
    return versions.get(number=number)


def version_list(policy: PublishedPolicy) -> list[PolicyVersion]:
    """All versions, newest first, without their (large) rendered bodies."""
    return list(
        policy.versions.order_by("-number").only("number", "published_at", "effective_date", "policy")
    )


def with_latest_version(queryset: QuerySet[PublishedPolicy]) -> QuerySet[PublishedPolicy]:
    """Policies annotated with their current version's ``latest_number`` and ``latest_clause_versions``.

    Subqueries in the same query as the policies, so a list costs one query
    whatever its length and reads one version per policy, not every version.
    Both are ``None`` for a policy with no version.
    """
    latest = PolicyVersion.objects.filter(policy=OuterRef("pk")).order_by("-number")
    return queryset.annotate(
        latest_number=Subquery(latest.values("number")[:1]),
        latest_clause_versions=Subquery(latest.values("clause_versions")[:1]),
    )


def current_clause_versions() -> dict[str, int]:
    """Every clause's key and current version (one query), to tell which published clauses changed."""
    return dict(Clause.objects.values_list("key", "version"))
