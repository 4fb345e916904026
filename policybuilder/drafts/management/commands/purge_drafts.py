"""Delete drafts that were not touched for DRAFT_EXPIRY_DAYS (run it daily from cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from policybuilder.drafts.services import purge_drafts


class Command(BaseCommand):
    help = "Delete drafts not touched for DRAFT_EXPIRY_DAYS days."

    def handle(self, *args, **options):
        count = purge_drafts()
        self.stdout.write(f"Deleted {count} draft(s) untouched for {settings.DRAFT_EXPIRY_DAYS} days.")
