"""What a browser would post to a wizard page, for driving the wizard without one."""

from __future__ import annotations

from typing import Any

from policybuilder.answers import default_answers
from policybuilder.drafts import forms
from policybuilder.form_widgets import CookieTableWidget, ServiceRowsWidget
from policybuilder.questionnaire import Kind, Page


def page_post_data(page: Page, answers: dict[str, Any], action: str = "next") -> dict[str, Any]:
    """What a browser would send for one page with these answers (defaults elsewhere).

    Used by the soak test and the tests to drive the wizard without a browser. The
    values go through the forms' own conversion, so they are what the page's form
    would have shown for these answers.
    """
    defaults = default_answers()
    data: dict[str, Any] = {"action": action}
    for question in page.questions:
        value = answers.get(question.section, {}).get(question.key, defaults[question.section][question.key])
        shown = forms.to_form_value(question, value)
        if question.kind is Kind.SERVICE_RECORDS:
            data.update(ServiceRowsWidget.post_data(forms.field_name(question), shown))
        elif question.kind is Kind.COOKIE_RECORDS:
            data.update(CookieTableWidget.post_data(forms.field_name(question), shown))
        elif question.kind is Kind.OWN_PARAGRAPHS:
            data.update({f"{forms.field_name(question)}-{key}": text for key, text in (shown or {}).items()})
        elif shown is not None:
            data[forms.field_name(question)] = shown
    return data
