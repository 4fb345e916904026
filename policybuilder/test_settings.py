"""Test settings: the real settings, with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
# The suite runs in one process (CI adds a run against Redis for the cache-dependent tests).
os.environ.setdefault("RATELIMIT_LOCAL_ONLY", "1")
# Rendered policies in a folder of this test process's own (the default is var/cache/renders).
import tempfile  # noqa: E402

_RENDERS = os.path.join(tempfile.gettempdir(), f"policybuilder-renders-{os.getpid()}")
os.environ.setdefault("RENDER_CACHE_DIR", _RENDERS)

from policybuilder.settings import *  # noqa: E402,F403

# The tests cover the developer tools too (the benchmark's report parser, the wizard posts), with or
# without DEBUG.
if "policybuilder.devtools.apps.DevtoolsConfig" not in INSTALLED_APPS:  # type: ignore[used-before-def]  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "policybuilder.devtools.apps.DevtoolsConfig"]  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared-cache in-memory default: tests that save from
    # several threads at once then meet the same locking (WAL, IMMEDIATE
    # transactions, busy timeout) as a real installation does.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"policybuilder-test-{os.getpid()}.sqlite3")
    }

# pytest-django sends email to memory (locmem): "Email me this link" is offered as with a server.
EMAIL_LINKS = True
