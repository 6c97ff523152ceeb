"""The suite's plugin for runs that reach the suite by path, and each test named by its clauses."""

import pytest

from invokeendpoint_conformance import pytest_plugin
from invokeendpoint_conformance.conformance import plugin


def pytest_configure(config: pytest.Config) -> None:
    pytest_plugin.register_suite_plugin(config)


@pytest.fixture(autouse=True)
def conformance_clauses(request: pytest.FixtureRequest) -> object:
    """The test's clause IDs; parametrized so that they appear in the test's name."""
    return getattr(request, "param", None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    ids = plugin.clause_ids(metafunc.definition)
    if ids and "conformance_clauses" in metafunc.fixturenames:
        label = "+".join(ids)
        metafunc.parametrize("conformance_clauses", [label], ids=[label])
