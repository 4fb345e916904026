"""Benchmarks: prints figures and ratios against baselines measured in the same run.

Run with `make bench`.  Nothing here is asserted; the test suite counts
queries instead of timing anything.  Output lines: `name: value unit` and
`ratio name: value`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybuilder.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from policybuilder.answers import validate_answers  # noqa: E402
from policybuilder.assembly import assemble  # noqa: E402
from policybuilder.clause_library import read_library_file  # noqa: E402
from policybuilder.renderers import FORMATS  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    fn()  # warm caches (compiled templates, fonts)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def scaled(library, factor: int):
    """A synthetic library `factor` times the size: every section's clauses repeated under new keys."""
    sections = []
    for section in library.sections:
        clauses = tuple(
            dataclasses.replace(clause, key=f"{clause.key}.x{n}", order=clause.order * 1000 + n)
            for clause in section.clauses
            for n in range(factor)
        )
        sections.append(dataclasses.replace(section, clauses=clauses))
    return dataclasses.replace(library, sections=tuple(sections))


def main() -> None:
    library = read_library_file()
    catalogue = library.catalogue_keys()
    examples = sorted((ROOT / "docs" / "examples").glob("*.json"))
    print(f"clauses: {len(library.clauses())} count")
    for path in examples:
        raw = json.loads(path.read_text())
        answers = validate_answers(raw, catalogue_keys=catalogue)
        validate = median_ms(lambda: validate_answers(raw, catalogue_keys=catalogue), 50)
        build = median_ms(lambda: assemble(library, answers), 30)
        print(f"validate_{path.stem}: {validate:.2f} ms")
        print(f"assemble_{path.stem}: {build:.2f} ms")
        print(f"ratio assemble_vs_validate_{path.stem}: {build / validate:.1f}")
        document = assemble(library, answers)
        html = median_ms(lambda: FORMATS["html"].render(document), 20)
        for name, output in FORMATS.items():
            ms = median_ms(lambda: output.render(document), 5 if output.binary else 20)
            print(f"render_{name}_{path.stem}: {ms:.2f} ms")
            if name != "html":
                print(f"ratio render_{name}_vs_html_{path.stem}: {ms / html:.2f}")
    answers = validate_answers(
        json.loads((ROOT / "docs/examples/saas.json").read_text()), catalogue_keys=catalogue
    )
    base = median_ms(lambda: assemble(library, answers), 20)
    for factor in (10, 100):
        big = scaled(library, factor)
        ms = median_ms(lambda: assemble(big, answers), 3)
        print(f"assemble_saas_library_x{factor}: {ms:.1f} ms")
        print(f"ratio assemble_library_x{factor}_vs_x1: {ms / base:.1f}")


if __name__ == "__main__":
    main()
