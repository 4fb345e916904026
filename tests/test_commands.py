"""The command line: buildpolicy, answers_schema and load_library."""

import io
import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command

from tests.support.examples import EXAMPLES, ROOT

LIBRARY_FILE = str(ROOT / "policybuilder" / "library" / "data" / "library.yaml")


def run_manage(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run manage.py in a subprocess, as a person would, with the test settings."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "policybuilder.test_settings",
            "DATABASE_URL": "sqlite:///:memory:",
        },
        timeout=120,
    )


@pytest.mark.parametrize("fmt", ["html", "md", "txt", "pdf", "docx"])
def test_buildpolicy_writes_each_format_for_each_example(fmt, tmp_path):
    for path in EXAMPLES:
        out = tmp_path / f"{path.stem}.{fmt}"
        call_command(
            "buildpolicy",
            str(path),
            "--format",
            fmt,
            "-o",
            str(out),
            "--library-file",
            LIBRARY_FILE,
            stderr=io.StringIO(),
        )
        data = out.read_bytes()
        assert len(data) > 2000
        if fmt == "pdf":
            assert data.startswith(b"%PDF-")
        elif fmt == "docx":
            word = docx.Document(io.BytesIO(data))
            name = json.loads(path.read_text())["organization"]["name"]
            assert word.paragraphs[0].text == f"{name} Privacy Policy"
        else:
            assert json.loads(path.read_text())["organization"]["name"].split()[0] in data.decode()


def test_buildpolicy_prints_text_formats_to_stdout():
    stdout = io.StringIO()
    call_command("buildpolicy", str(EXAMPLES[0]), "-f", "md", "--library-file", LIBRARY_FILE, stdout=stdout)
    assert stdout.getvalue().startswith("# ")


def test_buildpolicy_reports_every_problem_and_exits_2():
    bad = json.dumps(
        {
            "organization": {"name": "X", "website": "nope", "email": "x@y.example"},
            "cookies": {"use": "sometimes"},
        }
    )
    result = run_manage("buildpolicy", "-", "--library-file", LIBRARY_FILE, stdin=bad)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        '-: organization.website: "nope" is not a web address starting with http:// or https://',
        '-: cookies.use: "sometimes" is not one of yes, no, maybe_future',
    ]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        ("\xff\xfe", "not valid JSON"),
        ('"just a string"', "(top level): must be a JSON object, not a string"),
    ],
)
def test_buildpolicy_explains_unreadable_files(tmp_path, content, message):
    path = tmp_path / "answers.json"
    path.write_text(content)
    result = run_manage("buildpolicy", str(path), "--library-file", LIBRARY_FILE)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_buildpolicy_refuses_missing_and_oversized_files(tmp_path):
    result = run_manage("buildpolicy", str(tmp_path / "missing.json"), "--library-file", LIBRARY_FILE)
    assert result.returncode == 2 and "cannot read: No such file or directory" in result.stderr
    big = tmp_path / "big.json"
    big.write_text(" " * (300 * 1024) + "{}")
    result = run_manage("buildpolicy", str(big), "--library-file", LIBRARY_FILE)
    assert result.returncode == 2 and "answers file is larger than the limit of 256 KiB" in result.stderr


def test_pdf_needs_an_output_file():
    with pytest.raises(CommandError, match="PDF output needs -o FILE"):
        call_command("buildpolicy", str(EXAMPLES[0]), "-f", "pdf", "--library-file", LIBRARY_FILE)
    with pytest.raises(CommandError, match="Word output needs -o FILE"):
        call_command("buildpolicy", str(EXAMPLES[0]), "-f", "docx", "--library-file", LIBRARY_FILE)


@pytest.mark.django_db
def test_buildpolicy_uses_the_database_library_and_says_when_it_is_empty(tmp_path):
    with pytest.raises(CommandError, match="clause library in the database is empty"):
        call_command("buildpolicy", str(EXAMPLES[0]))
    call_command("load_library", stdout=io.StringIO())
    stdout = io.StringIO()
    call_command("buildpolicy", str(EXAMPLES[0]), "-f", "txt", stdout=stdout)
    assert "Contents" in stdout.getvalue()


@pytest.mark.django_db
def test_load_library_reports_what_it_did_and_refuses_broken_files(tmp_path):
    out = io.StringIO()
    call_command("load_library", stdout=out)
    assert "created" in out.getvalue()
    out = io.StringIO()
    call_command("load_library", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "sections:\n  - key: a\n    title: A\n    clauses:\n      - key: a.b\n        body: '{{ nope }}'\n"
    )
    with pytest.raises(CommandError, match="clause a.b: body: line 1: unknown name 'nope'"):
        call_command("load_library", str(broken))


def test_answers_schema_prints_a_valid_schema():
    import jsonschema

    stdout = io.StringIO()
    call_command("answers_schema", "--library-file", LIBRARY_FILE, stdout=stdout)
    schema = json.loads(stdout.getvalue())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["cookies"]["properties"]["use"]["enum"] == ["yes", "no", "maybe_future"]
    assert "google_analytics" in schema["properties"]["tools"]["properties"]["services"]["items"]["enum"]
    assert Path(LIBRARY_FILE).exists()


def test_require_all_lists_every_question_left_to_its_default_and_exits_2(tmp_path):
    minimal = {"organization": {"name": "Acme", "website": "https://acme.example", "email": "p@acme.example"}}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(minimal))
    plain = run_manage("buildpolicy", str(path), "--format", "txt", "--library-file", LIBRARY_FILE)
    assert plain.returncode == 0  # documented defaults still work for policy-as-code users
    strict = run_manage(
        "buildpolicy", str(path), "--format", "txt", "--require-all", "--library-file", LIBRARY_FILE
    )
    assert strict.returncode == 2 and strict.stdout == ""
    lines = strict.stderr.strip().splitlines()
    assert f'{path}: cookies.use: is not answered (the default "no" would be used)' in lines
    assert f"{path}: organization.effective_date: is not answered (the default today would be used)" in lines
    assert not any("cookies.purposes" in line for line in lines)  # does not apply while cookies.use is "no"


def test_require_all_accepts_a_file_that_answers_everything_that_applies(tmp_path):
    from policybuilder.answers import prune_answers, validate_answers
    from policybuilder.clause_library import read_library_file
    from policybuilder.questionnaire import applicable_questions

    library = read_library_file()
    answers = validate_answers(json.loads(EXAMPLES[0].read_text()), catalogue_keys=library.catalogue_keys())
    complete = prune_answers(answers)
    for q in applicable_questions(answers):
        complete.setdefault(q.section, {})[q.key] = answers[q.section][q.key]
    path = tmp_path / "complete.json"
    path.write_text(json.dumps(complete))
    result = run_manage(
        "buildpolicy", str(path), "--require-all", "--format", "txt", "--library-file", LIBRARY_FILE
    )
    assert result.returncode == 0, result.stderr
