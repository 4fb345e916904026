"""Reading published policies."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length

from policybuilder.answers import Answers, normalise_answers
from policybuilder.assembly import AssemblyError
from policybuilder.clause_library import Library
from policybuilder.drafts.models import Draft
from policybuilder.library.models import Clause
from policybuilder.publishing.models import STORED_FIELDS, PolicyVersion, PublishedPolicy
from policybuilder.publishing.services import pending_changes


def get_policy(public_id: str) -> PublishedPolicy:
    """``PublishedPolicy.DoesNotExist`` for an unknown id."""
    if not public_id or len(public_id) > 32:
        raise PublishedPolicy.DoesNotExist
    return PublishedPolicy.objects.get(public_id=public_id)


# The largest number a PositiveIntegerField holds on every database; a larger one from a URL is no
# version (SQLite would raise OverflowError on it, a 500).
MAX_VERSION_NUMBER = 2**31 - 1


def get_version(policy: PublishedPolicy, number: int | None = None) -> PolicyVersion:
    """A version by number, or the current (latest) one; ``PolicyVersion.DoesNotExist`` if none.

    Its stored files are read only if asked for (``stored_file``): ``has_file`` answers from their
    lengths, so the pages that list them (the policy, the review's panel) never load a PDF."""
    return _pick(with_file_sizes(policy.versions.all()), number)


def get_public_version(public_id: str, number: int | None = None) -> PolicyVersion:
    """A version with its policy, by number or the current one, in one query, for the JSON document.

    The rendered files are left out (``has_file`` still answers). ``PolicyVersion.DoesNotExist``
    if there is none.
    """
    if not public_id or len(public_id) > 32:
        raise PolicyVersion.DoesNotExist
    versions = PolicyVersion.objects.filter(policy__public_id=public_id).select_related("policy")
    return _pick(with_file_sizes(versions.defer("body_html", "confirmed_findings")), number)


def latest_number(policy: PublishedPolicy) -> int | None:
    return policy.versions.order_by("-number").values_list("number", flat=True).first()


def with_file_sizes(versions: QuerySet[PolicyVersion]) -> QuerySet[PolicyVersion]:
    """``versions`` without the stored files, each with their lengths (``pdf_size``, ``docx_size`` …),
    from which ``PolicyVersion.has_file`` answers: a page that lists the downloads never loads them."""
    fields = STORED_FIELDS.values()
    return versions.defer(*fields).annotate(**{f"{field}_size": Length(field) for field in fields})


def _pick(versions: QuerySet[PolicyVersion], number: int | None) -> PolicyVersion:
    """The version with this number among ``versions``, or the latest one; ``DoesNotExist`` if none
    (also for numbers beyond what the database can hold, which SQLite would refuse with an error)."""
    if number is not None and not 0 < number <= MAX_VERSION_NUMBER:
        raise PolicyVersion.DoesNotExist
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
    """Policies annotated with their current version's ``latest_number``, ``latest_effective_date`` and
    ``latest_clause_versions``.

    Subqueries in the same query as the policies, so a list costs one query
    whatever its length and reads one version per policy, not every version.
    All are ``None`` for a policy with no version.
    """
    latest = PolicyVersion.objects.filter(policy=OuterRef("pk")).order_by("-number")
    return queryset.annotate(
        latest_number=Subquery(latest.values("number")[:1]),
        latest_effective_date=Subquery(latest.values("effective_date")[:1]),
        latest_clause_versions=Subquery(latest.values("clause_versions")[:1]),
    )


def current_clause_versions() -> dict[str, int]:
    """Every clause's key and current version (one query), to tell which published clauses changed."""
    return dict(Clause.objects.values_list("key", "version"))


def get_draft_policy(draft: Draft) -> PublishedPolicy | None:
    """The policy a draft was published as, or ``None`` if it has not been published."""
    return PublishedPolicy.objects.filter(draft=draft).first()


@dataclass(frozen=True)
class Publication:
    """Where a draft stands as a published policy."""

    policy: PublishedPolicy
    latest: PolicyVersion
    library_changes: list[str]  # titles of sections the library alone has changed since `latest`
    pending_changes: list[str]  # titles of sections publishing the answers now would change


def get_publication(draft: Draft, library: Library, answers: Answers) -> Publication | None:
    """The draft's published policy and what publishing ``answers`` now would change; ``None`` if unpublished.

    A library that fails to assemble shows no changes rather than an error:
    the review page must still open so the person can see the rest.
    """
    policy = get_draft_policy(draft)
    if policy is None:
        return None
    latest = get_version(policy)
    published_answers, _ = normalise_answers(latest.answers, catalogue_keys=library.catalogue_keys())
    try:
        library_changes = pending_changes(latest, library, published_answers)
        all_changes = pending_changes(latest, library, answers)
    except AssemblyError:
        library_changes = all_changes = []
    return Publication(
        policy=policy,
        latest=latest,
        library_changes=[c.title for c in library_changes],
        pending_changes=[c.title for c in all_changes],
    )
