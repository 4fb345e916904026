"""Re-scan the website of every published policy: ``manage.py rescan_published`` (run it daily).

Each scan is compared with what the policy's current version says. What the site now does that
the policy does not say is stored with the date it was first seen ("since 2 March, your site
loads TikTok Pixel"), and shows on the draft's review page and in the admin's list of scans.
Prints one line per policy. Exit status 1 when any scan failed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from policybuilder.scans import services


class Command(BaseCommand):
    help = "Scan the website of every published policy and record what the policy no longer covers."

    def add_arguments(self, parser):
        parser.add_argument("--policy", metavar="PUBLIC_ID", help="Only this published policy.")

    def handle(self, *args, **options):
        failed = 0
        targets = services.published_scan_targets()
        if options["policy"]:
            targets = [(p, url) for p, url in targets if p.public_id == options["policy"]]
        for policy, url in targets:
            try:
                scan, _ = services.request_scan(url=url, policy=policy)
            except services.ScanRequestError as error:
                self.stdout.write(f"{policy.public_id} {url}: not scanned: {error}")
                failed += 1
                continue
            scan = services.run_scan(scan.pk)
            if scan.status != scan.Status.DONE:
                self.stdout.write(f"{policy.public_id} {url}: scan failed: {scan.error}")
                failed += 1
            elif scan.drift:
                self.stdout.write(f"{policy.public_id} {url}: out of date, {len(scan.drift)} difference(s):")
                for item in scan.drift:
                    self.stdout.write(f"  since {item['since']}: {item['message']}")
            else:
                self.stdout.write(f"{policy.public_id} {url}: up to date")
        self.stderr.write(f"{len(targets)} published policies scanned, {failed} failed.")
        if failed:
            raise SystemExit(1)
