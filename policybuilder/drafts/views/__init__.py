"""The browser wizard's pages, one module per part of the journey.

``start``: the landing page and the three ways in (new, continue, upload);
``steps``: the questionnaire's pages, their live preview and the saved link;
``review``: the review page and the draft's downloads. Publishing lives in
``policybuilder.publishing``; what these views share is in ``common``.
"""
