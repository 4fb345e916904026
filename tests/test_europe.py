"""The policy's European section: the GDPR's and the UK GDPR's rights, objection and complaints.

It appears only when one of them applies (where the business is established, or whom it serves:
Art. 3), and names a supervisory authority only where the business has one.
"""

from __future__ import annotations

from policybuilder.assembly import assemble
from policybuilder.clause_library import read_library_file

LIBRARY = read_library_file()
EUROPE = "Your rights in Europe (GDPR)"


def section(answers, title: str = EUROPE) -> str:
    return next((part.markdown for part in assemble(LIBRARY, answers).sections if part.title == title), "")


def test_an_irish_business_gets_the_rights_the_objection_apart_and_its_authority(make_answers):
    text = section(make_answers(organization={"country": "IE"}))
    assert text.startswith("If you are in the EU or the EEA, data protection law gives you these rights")
    for right in ("get a copy of it", "corrected", "erased", "restricted", "machine-readable format",
                  "withdraw any consent you gave, at any time. This does not affect"):  # fmt: skip
        assert right in text, right
    # Art. 21(4): the right to object is brought to attention clearly and separately.
    assert (
        "\n\n**Your right to object.** You can object at any time to our using your personal information"
        in text
    )
    assert "for direct marketing. We then stop." in text
    assert "The authority for us is the Irish Data Protection Commission (DPC)." in text
    assert "within one month" in text and "ICO" not in text


def test_a_german_business_is_pointed_to_its_lands_authority(make_answers):
    text = section(make_answers(organization={"country": "DE"}))
    assert "the data protection authority of the German state (Land) where we are established" in text


def test_a_us_shop_shipping_to_the_uk_gets_the_ico_and_no_eu_authority(make_answers):
    text = section(make_answers(organization={"country": "US"}, reach={"europe": ["uk"]}))
    assert text.startswith("If you are in the UK,")
    assert "In the UK, it is the Information Commissioner's Office (ICO)." in text
    assert "The authority for us is" not in text  # no EU main establishment, so no lead authority


def test_a_us_business_serving_no_one_in_europe_has_no_european_section(make_answers):
    assert section(make_answers(organization={"country": "US"})) == ""
    # Not sure whom it serves: the GDPR may apply, and the review says so; the text adds no rights.
    assert section(make_answers(organization={"country": "US"}, reach={"europe": ["not_sure"]})) == ""


def test_a_german_business_mailing_only_europeans_gets_no_can_spam_text_or_findings(make_answers):
    from policybuilder.compliance import check_answers

    mailing = {"sends_commercial_email": True, "uses_email_service_provider": True}
    answers = make_answers(
        organization={"country": "DE"}, reach={"states": ["outside_us"]}, email_marketing=mailing
    )
    email = section(answers, "Email and other messages")
    assert "CAN-SPAM" not in email and "unless you asked for it" not in email
    assert "Following these rules" not in email
    assert not {"CANSPAM-1", "CANSPAM-3"} & {f.rule.id for f in check_answers(answers)}
    # A US business sending the same email gets both.
    answers = make_answers(organization={"country": "US"}, email_marketing=mailing)
    assert "Following the CAN-SPAM Act" in section(answers, "Email and other messages")
    assert {"CANSPAM-1", "CANSPAM-3"} <= {f.rule.id for f in check_answers(answers)}


def test_cookie_consent_is_said_when_asked_and_the_browser_is_not_the_only_way(make_answers):
    cookies = {"use": "yes", "purposes": ["essential", "analytics"], "consent": True}
    text = section(
        make_answers(organization={"country": "DE"}, cookies=cookies), "Cookies and similar technologies"
    )
    assert (
        "We set cookies that are not strictly necessary, such as those for measuring how our site is used,"
        in text
    )
    assert "only if you agree" in text and "change your choice at any time" in text
    assert "You can set your browser to refuse cookies" in text  # besides, never instead
    text = section(make_answers(cookies={**cookies, "consent": False}), "Cookies and similar technologies")
    assert "only if you agree" not in text
