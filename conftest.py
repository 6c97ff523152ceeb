"""The project's own test runs need the package installed: say so at once, instead of ImportErrors.

The top-level folders are installed as subpackages of `invokeendpoint_conformance`
(pyproject.toml), so a bare checkout cannot import them; README.md gives the command.
"""

import importlib.util

import pytest

if importlib.util.find_spec("invokeendpoint_conformance") is None:
    raise pytest.UsageError(
        "invokeendpoint_conformance is not installed in this environment; "
        "install the checkout first: python -m pip install -c constraints.txt -e '.[test]'"
    )
