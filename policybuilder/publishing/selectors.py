"""Reading published policies."""

from __future__ import annotations

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


def latest_versions() -> dict[int, PolicyVersion]:
    """Each policy's current version (one query), e.g. for finding outdated clauses."""
    latest: dict[int, PolicyVersion] = {}
    for version in PolicyVersion.objects.order_by("policy_id", "-number").only(
        "policy_id", "number", "clause_versions"
    ):
        latest.setdefault(version.policy_id, version)
    return latest
