"""Hypothesis settings for the strategies' self-tests.

Under CI (the CI variable set, as .ci/run and tox set it) examples are derandomized, so a run
can be repeated exactly and never fails by chance on a commit that changed nothing. Hypothesis
settings are process-wide: loading the profile here also applies it to the other test folders
of the same pytest run, which is what CI wants of them too.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)

if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
    settings.load_profile("ci")
