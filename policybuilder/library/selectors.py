"""Reading the clause library from the database for assembly.

``load_library`` costs three queries whatever the library's size (sections,
their clauses, services) and returns plain values, so assembly never
queries lazily.
"""

from django.db.models import Prefetch

from policybuilder.clause_library import ClauseSpec, Library, SectionSpec, ServiceSpec
from policybuilder.library.models import Clause, Section, Service


def load_library() -> Library:
    sections = Section.objects.prefetch_related(
        Prefetch("clauses", queryset=Clause.objects.order_by("order", "key"))
    ).order_by("order", "key")
    return Library(
        sections=tuple(
            SectionSpec(
                key=section.key,
                title=section.title,
                order=section.order,
                condition=section.condition,
                enabled=section.enabled,
                clauses=tuple(
                    ClauseSpec(
                        key=clause.key,
                        section=section.key,
                        order=clause.order,
                        body=clause.body,
                        condition=clause.condition,
                        enabled=clause.enabled,
                        version=clause.version,
                        laws=clause.laws,
                    )
                    for clause in section.clauses.all()
                ),
            )
            for section in sections
        ),
        services=tuple(
            ServiceSpec(
                key=s.key,
                kind=s.kind,
                name=s.name,
                company=s.company,
                privacy_url=s.privacy_url,
                opt_out_url=s.opt_out_url,
            )
            for s in Service.objects.order_by("kind", "name")
        ),
    )
