"""Developer tools: the benchmark and the soak test, never installed in production.

Settings add this app only when DEBUG is on (and the test settings always add it),
so ``manage.py bench`` and ``manage.py soak`` do not exist on a production server.
Nothing in the rest of ``policybuilder`` imports from here.
"""
