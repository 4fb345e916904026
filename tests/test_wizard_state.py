"""What the wizard derives from a draft's stored answers, without HTTP: merging a page, the review's lists."""

from __future__ import annotations

from policybuilder.answers import merge_page_values


def test_merging_a_page_changes_only_its_keys_and_leaves_the_stored_answers_alone():
    stored = {"organization": {"name": "Acme", "email": "a@acme.example"}, "cookies": {"purposes": ["essential"]}}
    merged = merge_page_values(stored, {"cookies.purposes": ["analytics"], "children.directed_to_children": True})
    assert merged == {
        "organization": {"name": "Acme", "email": "a@acme.example"},
        "cookies": {"purposes": ["analytics"]},
        "children": {"directed_to_children": True},
    }
    merged["organization"]["name"] = "Changed"
    assert stored == {"organization": {"name": "Acme", "email": "a@acme.example"}, "cookies": {"purposes": ["essential"]}}
