"""The questionnaire definition is consistent: the rest of the app is derived from it."""

from policybuilder.questionnaire import QUESTIONS_BY_PATH, STEPS, Kind, iter_questions

REQUIRED_KEYS = {
    "organization": {"name", "website", "email", "phone", "postal_address", "effective_date", "terms_url"},
    "services": {"kinds", "hosted_on_public_cloud", "installed_software_reports_usage"},
    "collection": {"personal_data", "automatic_data", "sources", "retention", "retention_days"},
    "use": {"purposes"},
    "sharing": {
        "sells_personal_data",
        "service_providers",
        "affiliates",
        "advance_notice_before_sharing",
        "legal_requests",
        "business_transfers",
        "aggregate_to_advertisers",
        "international_transfers",
    },
    "cookies": {"use", "purposes", "web_beacons"},
    "tools": {"services", "unlisted"},
    "children": {"directed_to_children", "knowingly_collects_under_13", "parental_consent_method"},
    "email_marketing": {"sends_commercial_email", "consent", "uses_email_service_provider"},
    "breach_notification": {"channels", "within_days", "business_days", "individual_redress"},
    "rights": {"access", "correct", "delete", "withdraw_consent", "opt_out_marketing"},
    "california": {
        "applies",
        "do_not_track",
        "third_party_tracking_allowed",
        "shine_the_light",
        "minors_content_removal",
    },
    "security": {"measures"},
    "policy_changes": {"notice_methods", "effective_after_days"},
    "extras": {"third_party_links", "public_forums", "account_security_responsibility"},
}


def test_every_documented_key_of_format_version_2_exists():
    """Version 1's service keys are upgraded when read (tests/test_answers.py); these are version 2's."""
    for section, keys in REQUIRED_KEYS.items():
        for key in keys:
            assert f"{section}.{key}" in QUESTIONS_BY_PATH, f"{section}.{key} missing"


def test_documented_choice_values_are_exactly_those_of_version_1():
    def values(path):
        return set(QUESTIONS_BY_PATH[path].choice_values)

    assert values("cookies.use") == {"yes", "no", "maybe_future"}
    assert values("collection.retention") == {"as_long_as_needed", "not_stored", "fixed_period"}
    assert values("california.do_not_track") == {"honored", "not_honored"}
    assert values("email_marketing.consent") == {"opt_in", "opt_out"}
    assert values("security.measures") == {
        "encryption_in_transit",
        "encryption_at_rest",
        "vulnerability_scanning",
        "restricted_access",
        "pci_dss_processor",
        "payment_data_not_stored",
    }


def test_keys_are_unique_and_choices_are_unique():
    paths = [q.path for q in iter_questions()]
    assert len(paths) == len(set(paths))
    assert len({s.key for s in STEPS}) == len(STEPS)
    for q in iter_questions():
        assert len(q.choice_values) == len(set(q.choice_values)), q.path


def test_every_question_is_labelled_and_every_step_says_why():
    for step in STEPS:
        assert step.title and len(step.why) > 30, step.key
        for q in step.questions:
            assert q.label.strip(), q.path
            if q.kind in (Kind.CHOICE, Kind.MULTI):
                assert q.choices and all(c.label for c in q.choices), q.path


def test_conditions_only_look_at_earlier_questions():
    """Validation evaluates conditions in order, so a later answer must never decide an earlier one."""
    order = {q.path: index for index, q in enumerate(iter_questions())}
    for q in iter_questions():
        if q.applies_when is not None:
            for path in q.applies_when.paths():
                assert path in order, f"{q.path} depends on unknown {path}"
                assert order[path] < order[q.path], f"{q.path} depends on later {path}"


def test_condition_descriptions_name_the_deciding_answer():
    q = QUESTIONS_BY_PATH["children.parental_consent_method"]
    assert q.applies_when.describe() == (
        "children.directed_to_children is true or children.knowingly_collects_under_13 is true"
    )
    assert (
        QUESTIONS_BY_PATH["cookies.purposes"].applies_when.describe() == "cookies.use is yes or maybe_future"
    )
