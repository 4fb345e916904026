"""The policy's European section: the GDPR's and the UK GDPR's rights, objection and complaints.

It appears only when one of them applies (where the business is established, or whom it serves:
Art. 3), and names a supervisory authority only where the business has one.
"""

from __future__ import annotations

from policybuilder.assembly import assemble
from policybuilder.clause_library import read_library_file

LIBRARY = read_library_file()
EUROPE = "Data protection law in Europe"


def section(answers, title: str = EUROPE) -> str:
    return next((part.markdown for part in assemble(LIBRARY, answers).sections if part.title == title), "")


def test_an_irish_business_gets_the_rights_the_objection_apart_and_its_authority(make_answers):
    text = section(make_answers(organization={"country": "IE"}))
    assert "\n\nIf you are in the EU or the EEA, data protection law gives you these rights" in text
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
    assert text.startswith("This section adds what data protection law in the UK asks us to tell you.")
    assert "\n\nIf you are in the UK, data protection law gives you these rights" in text
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


# --- Article 13 in full: the Berlin SaaS of issue 14, and the parts that vary --------------------------


def berlin(catalogue):
    from policybuilder.answers import validate_answers
    from tests.support.examples import example_raw

    return validate_answers(example_raw("berlin-saas"), catalogue_keys=catalogue)


def full_text(answers) -> str:
    return "\n".join(f"{part.title}\n{part.markdown}" for part in assemble(LIBRARY, answers).sections)


def test_a_berlin_saas_gets_every_article_13_item_and_no_us_only_text(catalogue):
    from policybuilder.compliance import check_answers
    from policybuilder.derived import chosen_services

    answers = berlin(catalogue)
    text = full_text(answers)
    use = section(answers, "How we use your information")
    # 13(1)(c)-(d): a legal basis for each purpose, and the legitimate interest written out.
    assert use.count("*Legal basis:*") == len(answers["use"]["purposes"])
    assert "our legitimate interest in keeping our services and the people who use them safe" in use
    assert "a legal obligation we have (Art. 6(1)(c) GDPR)" in use
    europe = section(answers)
    # 13(1)(a)-(b): the controller, and the data protection officer's contact.
    assert "Lindenblatt Software GmbH is the controller of your personal information" in europe
    assert "You can reach our data protection officer directly" in europe and "dpo\\@lindenblatt" in europe
    # 13(1)(f): each transfer with its safeguard, and how to get a copy.
    assert "- **Stripe** (United States): the EU–US Data Privacy Framework (Art. 45 GDPR)" in europe
    assert "- **Sentry** (United States): standard contractual clauses (Art. 46 GDPR)" in europe
    assert "Standard contractual clauses are terms approved by the European Commission." in europe
    assert "You can ask us for a copy" in europe
    assert "Brevo" not in europe and "Matomo" not in europe  # in the EU, or on our own servers
    # 13(2)(a): invoices kept for the German statutory period, beside the three-year promise.
    retention = section(answers, "How long we keep it")
    assert "for 3 years" in retention and "invoices and other accounting vouchers for 8 years" in retention
    # 13(2)(b)-(f): rights, objection apart, withdrawal, complaint, required data, automated decisions.
    assert "**Your right to object.**" in europe and "withdraw any consent you gave" in europe
    assert "The authority for us is the Berlin Commissioner for Data Protection and Freedom of" in europe
    assert "**Do you have to give us your information?**" in europe
    assert "We do not make decisions about you by automated means alone" in europe
    # Art. 33-34, the ePrivacy consent for cookies, the age of consent in Germany, the soft opt-in.
    assert "within 72 hours of becoming aware of it" in text
    assert "only if you agree" in section(answers, "Cookies and similar technologies")
    assert "from the age of 16" in section(answers, "Children's privacy")
    assert "unless you say no. You can say no when you give us your email address" in text
    # Nothing from US law: no CAN-SPAM, no "individual redress", no US state sections.
    for us_only in ("CAN-SPAM", "take us to court", "unless you asked for it", "California", "Do Not Sell"):
        assert us_only not in text, us_only
    findings = check_answers(answers, services=chosen_services(LIBRARY, answers))
    assert not [f.line for f in findings if f.rule.severity == "error"]


def test_bases_are_asked_and_given_only_where_a_european_law_may_apply(make_answers):
    from policybuilder.questionnaire import QUESTIONS_BY_PATH

    basis = QUESTIONS_BY_PATH["gdpr.basis_provide_services"]
    purposes = {"purposes": ["provide_services"]}
    us = make_answers(organization={"country": "US"}, use=purposes)
    assert not basis.applies(us) and "Legal basis" not in section(us, "How we use your information")
    unsure = make_answers(organization={"country": "US"}, reach={"europe": ["not_sure"]}, use=purposes)
    assert basis.applies(unsure)  # asked, since the GDPR may apply …
    assert "Legal basis" not in section(unsure, "How we use your information")  # … but not yet printed
    french = make_answers(
        organization={"country": "FR"}, use=purposes, gdpr={"basis_provide_services": "contract"}
    )
    assert "it is needed for our contract with you (Art. 6(1)(b) GDPR)" in section(
        french, "How we use your information"
    )


def test_a_representative_is_asked_of_a_business_outside_the_region_and_printed(make_answers):
    from policybuilder.compliance import check_answers
    from policybuilder.questionnaire import QUESTIONS_BY_PATH

    eu, uk = QUESTIONS_BY_PATH["gdpr.eu_representative"], QUESTIONS_BY_PATH["gdpr.uk_representative"]
    german = make_answers(organization={"country": "DE"}, reach={"europe": ["eu_eea", "uk"]})
    assert not eu.applies(german) and uk.applies(german)
    assert not eu.applies(make_answers(reach={"europe": ["eu_eea"]}))  # where it is is not said yet
    rep = {"eu_representative": "appointed", "eu_representative_contact": "Rep GmbH\nBerlin"}
    us = make_answers(organization={"country": "US"}, reach={"europe": ["eu_eea"]}, gdpr=rep)
    assert "Our representative in the EU" in section(us) and "Rep GmbH" in section(us)
    assert "The authority for us is" not in section(us)  # a representative is no main establishment
    missing = make_answers(
        organization={"country": "US"}, reach={"europe": ["eu_eea"]}, gdpr={"eu_representative": "not_yet"}
    )
    assert "GDPR-3" in {f.rule.id for f in check_answers(missing)}


def test_transfers_name_the_safeguard_under_each_law_that_applies(make_answers):
    tools = {"services": ["stripe", "matomo_self_hosted", "adyen", "sentry"]}
    both = section(make_answers(organization={"country": "IE"}, reach={"europe": ["uk"]}, tools=tools))
    assert "**Transfers outside Europe and the UK.**" in both
    assert (
        "- **Stripe** (United States): from the EU, the EU–US Data Privacy Framework (Art. 45 GDPR); "
        "from the UK, the UK Extension to the Data Privacy Framework (Art. 45 UK GDPR)"
        in both
    )
    # Adyen is in the Netherlands: no transfer from the EU, and the UK's data bridge covers it.
    assert "- **Adyen** (Netherlands): from the UK, UK adequacy regulations (Art. 45 UK GDPR)" in both
    assert "Matomo" not in both  # it runs on our own servers: nothing is transferred
    uk_only = section(make_answers(organization={"country": "GB"}, tools=tools))
    assert "**Transfers outside the UK.**" in uk_only and "from the EU" not in uk_only
    assert "- **Adyen** (Netherlands): UK adequacy regulations (Art. 45 UK GDPR)" in uk_only
    assert "the UK government has found that the country protects personal data well enough" in uk_only


def test_the_age_of_digital_consent_follows_the_country(make_answers):
    age = {
        country: section(make_answers(organization={"country": country}), "Children's privacy")
        for country in ("DE", "FR", "ES", "GB", "US")
    }
    assert "from the age of 16" in age["DE"] and "data protection law in Germany" in age["DE"]
    assert "from the age of 15" in age["FR"] and "from the age of 14" in age["ES"]
    assert "from the age of 13" in age["GB"]
    assert "from the age of" not in age["US"]


def test_marketing_email_without_consent_needs_the_soft_opt_in(make_answers):
    from policybuilder.compliance import check_answers

    mailing = {"sends_commercial_email": True, "consent": "opt_out"}
    added = make_answers(
        organization={"country": "DE"},
        use={"purposes": ["marketing_emails", "process_transactions"]},
        email_marketing=mailing,
        gdpr={"basis_marketing_emails": "consent", "basis_process_transactions": "contract"},
    )
    assert "GDPR-7" in {f.rule.id for f in check_answers(added)}
    soft = make_answers(
        organization={"country": "DE"},
        use={"purposes": ["marketing_emails", "process_transactions"]},
        email_marketing=mailing,
        gdpr={"basis_marketing_emails": "soft_opt_in", "basis_process_transactions": "contract"},
    )
    email = section(soft, "Email and other messages")
    assert "We send newsletters and marketing emails to our customers." not in email
    assert "about our own products that are like the ones you bought, unless you say no" in email
    assert not {"GDPR-7", "GDPR-8"} & {f.rule.id for f in check_answers(soft)}


def test_us_sharing_language_stays_out_of_a_policy_only_european_law_reaches(make_answers):
    from policybuilder.compliance import check_answers as check_with
    from policybuilder.derived import chosen_services

    def check_answers(answers):
        return check_with(answers, services=chosen_services(LIBRARY, answers))

    pixel = {"services": ["meta_pixel"]}
    german = make_answers(organization={"country": "DE"}, reach={"states": ["outside_us"]}, tools=pixel)
    assert "California law calls" not in section(german, "When we share information")
    assert "SHARE-1" not in {f.rule.id for f in check_answers(german)}
    health = {"sensitive_data": ["health"], "sensitive_uses": ["provide_services"]}
    french = make_answers(
        organization={"country": "FR"},
        reach={"states": ["outside_us"]},
        collection=health,
        gdpr={"special_conditions": ["explicit_consent"]},
        tools=pixel,
    )
    assert not {"FTC-1", "FTC-2"} & {f.rule.id for f in check_answers(french)}  # US law, not theirs
    american = make_answers(organization={"country": "US"}, tools=pixel)
    assert "California law calls" in section(american, "When we share information")
    assert "SHARE-1" in {f.rule.id for f in check_answers(american)}


def test_a_uk_brochure_site_is_told_its_information_is_optional_not_half_a_sentence(make_answers):
    answers = make_answers(
        organization={"country": "GB"},
        use={"purposes": ["customer_support"]},
        gdpr={"basis_customer_support": "legitimate_interests"},
    )
    text = section(answers)
    assert "**Do you have to give us your information?** Giving us your information is up to you." in text
    assert "Everything else" not in text


def test_a_uk_business_is_told_its_law_with_the_countrys_article_and_no_us_wording(make_answers):
    answers = make_answers(
        organization={"country": "GB"},
        reach={"states": ["outside_us"]},
        breach_notification={"channels": ["email"]},
    )
    assert "data protection law in the United Kingdom" in section(answers, "Children's privacy")
    assert "law enforcement agency" not in section(answers, "If there is a data breach")
    assert "your household" not in section(answers, "About this policy")
    american = make_answers(organization={"country": "US"}, breach_notification={"channels": ["email"]})
    assert "law enforcement agency" in section(american, "If there is a data breach")
    assert "your household" in section(american, "About this policy")


def test_portability_and_withdrawal_are_offered_only_where_their_bases_are(make_answers):
    interests = make_answers(
        organization={"country": "GB"},
        use={"purposes": ["customer_support"]},
        gdpr={"basis_customer_support": "legitimate_interests"},
    )
    text = section(interests)
    assert "machine-readable" not in text and "withdraw any consent" not in text
    contract = make_answers(
        organization={"country": "GB"},
        use={"purposes": ["customer_support"]},
        gdpr={"basis_customer_support": "contract"},
    )
    assert "machine-readable" in section(contract) and "withdraw any consent" not in section(contract)


def test_retention_per_kind_of_information_is_stated_and_answers_the_gdpr(make_answers):
    from policybuilder.compliance import check_answers

    collection = {
        "personal_data": ["email", "account_credentials", "communications"],
        "automatic_data": ["ip_address"],
        "sources": ["registration"],
    }
    vague = make_answers(organization={"country": "GB"}, collection=collection)
    assert "RETENTION-1" in {f.rule.id for f in check_answers(vague)}
    periods = {"retention_account_days": 0, "retention_messages_months": 24, "retention_logs_days": 14}
    stated = make_answers(organization={"country": "GB"}, collection={**collection, **periods})
    text = section(stated, "How long we keep it")
    assert "- your account information: while your account is open, and no longer once you close it" in text
    assert "- the messages and requests you send us: 24 months after our last exchange" in text
    assert "- server logs, which hold IP addresses: 2 weeks" in text
    assert "RETENTION-1" not in {f.rule.id for f in check_answers(stated)}


def test_the_laws_list_names_the_cookie_and_marketing_rules_where_they_reach(make_answers):
    from policybuilder.applicable_laws import laws_for

    def status(answers, key):
        return next(v.status for v in laws_for(LIBRARY, answers) if v.key == key)

    cookies = {"use": "yes", "purposes": ["essential"]}
    german = make_answers(organization={"country": "DE"}, cookies=cookies)
    assert status(german, "eprivacy") == "applies" and status(german, "pecr") == "does_not_apply"
    assert status(make_answers(organization={"country": "DE"}), "eprivacy") == "does_not_apply"
    american = make_answers(organization={"country": "US"}, cookies=cookies)
    assert status(american, "eprivacy") == "does_not_apply"


# --- Canada (PIPEDA) and Brazil (LGPD): short sections when the business serves people there -----------


def test_canada_and_brazil_get_their_sections_only_when_served(make_answers):
    from policybuilder.questionnaire import QUESTIONS_BY_PATH

    officer, encarregado = (QUESTIONS_BY_PATH[p] for p in ("americas.privacy_officer", "americas.encarregado"))
    home = make_answers(organization={"country": "US"})
    assert not officer.applies(home) and not encarregado.applies(home)
    assert section(home, "If you are in Canada") == "" and section(home, "If you are in Brazil (LGPD)") == ""
    served = make_answers(
        organization={"country": "US"},
        reach={"elsewhere": ["canada", "brazil"]},
        americas={"privacy_officer": "Chief Privacy Officer\n1 Main St", "encarregado": "Ana Souza"},
    )
    canada = section(served, "If you are in Canada")
    assert "this person is accountable" in canada and "Chief Privacy Officer" in canada
    assert "We reply within 30 days." in canada
    brazil = section(served, "If you are in Brazil (LGPD)")
    assert "ask for a review of decisions made only by automated means" in brazil
    assert "full access within 15 days" in brazil and "(encarregado) is:\n\nAna Souza" in brazil


def test_suggested_bases_follow_the_earlier_answers_so_taking_one_raises_no_finding(make_answers):
    from policybuilder.questionnaire import QUESTIONS_BY_PATH

    marketing = QUESTIONS_BY_PATH["gdpr.basis_marketing_emails"]
    improve = QUESTIONS_BY_PATH["gdpr.basis_improve_services"]
    purposes = {"purposes": ["marketing_emails", "improve_services"]}
    asked = make_answers(
        organization={"country": "DE"}, use=purposes, email_marketing={"sends_commercial_email": True}
    )
    assert marketing.suggestion(asked).value == "consent"
    assert improve.suggestion(asked).value == "legitimate_interests"
    added = make_answers(
        organization={"country": "DE"},
        use=purposes,
        email_marketing={"sends_commercial_email": True, "consent": "opt_out"},
        cookies={"use": "yes", "purposes": ["analytics"]},
    )
    assert marketing.suggestion(added).value == "soft_opt_in"  # GDPR-7 would flag "consent"
    assert improve.suggestion(added).value == "consent"  # GDPR-6 would flag legitimate interests


def test_tools_that_collect_for_their_own_purposes_are_joint_controllers_under_the_gdpr(make_answers):
    tools = {"services": ["meta_pixel", "stripe", "matomo_self_hosted"]}
    text = section(make_answers(organization={"country": "DE"}, tools=tools))
    assert "**Shared responsibility.** This company collects information through its tool on our pages" in text
    assert "- Meta Pixel (Meta Platforms, Inc.)" in text
    assert "we share responsibility with it: we are joint controllers" in text
    shared = text.split("**Shared responsibility.**")[1].split("**Transfers")[0]
    assert "Stripe" not in shared and "Matomo" not in shared  # acting for us, or on our own servers
    assert "Shared responsibility" not in section(
        make_answers(organization={"country": "DE"}, tools={"services": ["stripe"]})
    )


def test_rights_are_stated_once_for_a_business_only_european_law_reaches(catalogue, make_answers):
    rights = section(berlin(catalogue), "Your choices and rights")
    assert rights.startswith('Your rights over your personal information are set out under "Data protection law')
    assert "ask us to delete" not in rights and "opt out of marketing messages" in rights
    # A US business serving the UK keeps its own list for US readers.
    us = make_answers(
        organization={"country": "US"}, reach={"europe": ["uk"]}, rights={"access": True, "delete": True}
    )
    assert "ask us to delete your personal information" in section(us, "Your choices and rights")
