"""The admin site as staff meet it: named after Policy Builder, with a link back to the app,
and without the tables of other packages that nobody edits.

A clause editor (the "Clause editors" group) sees the clause library alone: sections, clauses
and the service catalogue. A superuser also sees users and groups, published policies, site
scans, and django-axes' login attempts (deleting one releases a paused login) and login log.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.admin import AdminSite

SITE_HEADER = "Policy Builder administration"
SITE_TITLE = "Policy Builder admin"
INDEX_TITLE = "Clause library and published policies"

# Registered by the packages themselves, and internal: the task queue's rows (the site scans'
# own admin shows each scan's state and error) and django-axes' failure log, which this project
# never writes (AXES_ENABLE_ACCESS_FAILURE_LOG is off; failed logins are in "Access attempts").
INTERNAL_MODELS = (("django_tasks_database", "DBTaskResult"), ("axes", "AccessFailureLog"))


def configure(site: AdminSite) -> None:
    """Name the site, link it back to the app, and hide the internal tables (idempotent)."""
    site.site_header = SITE_HEADER
    site.site_title = SITE_TITLE
    site.index_title = INDEX_TITLE
    site.site_url = "/"  # the "View site" link at the top of every admin page
    # The breadcrumbs and the index lead everywhere; the sidebar's list of tables took a quarter of
    # the width the clause list and the editor with its preview need.
    site.enable_nav_sidebar = False
    for app_label, model_name in INTERNAL_MODELS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        if site.is_registered(model):
            site.unregister(model)
