"""Policy Builder: answers in, privacy policy out.

Data flows one way: answers -> applicable questions -> selected clauses ->
policy document -> HTML / PDF / Markdown / text.  The modules are named after
those stages: ``questionnaire``, ``answers``, ``assembly``, ``document`` and
``renderers``; the clause library lives in the ``library`` app.
"""
