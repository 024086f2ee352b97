"""Settings for the test suite: the real ones with a key of its own and plain HTTP (the test client and the
browser tests' live server speak HTTP). Debug stays off, as pytest-django keeps it."""

import os

os.environ.setdefault("LUOSHI_SECRET_KEY", "luoshi-test-suite-key-not-for-any-server")
os.environ.setdefault("LUOSHI_HTTPS", "false")

from luoshi.settings import *  # noqa: E402, F403
