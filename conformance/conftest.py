"""Suite-only fixtures: every suite test's name carries its clause IDs (terminal, JUnit XML)."""

import pytest

from conformance.plugin import SUITE_PACKAGE, clause_ids


@pytest.fixture(autouse=True)
def conformance_clauses(request):
    """The test's clause IDs; parametrized so that they appear in the test's name."""
    return getattr(request, "param", None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if not metafunc.module.__name__.startswith(SUITE_PACKAGE):
        return
    ids = clause_ids(metafunc.definition)
    if ids and "conformance_clauses" in metafunc.fixturenames:
        label = "+".join(ids)
        metafunc.parametrize("conformance_clauses", [label], ids=[label])
