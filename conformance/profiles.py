"""The suite's Hypothesis settings: one profile per run, handed to each suite test, registered nowhere.

Registering or loading a profile would change every Hypothesis test of the
session, the user's own included; so the profiles are plain settings objects,
the plugin picks one (`activate`) before the suite's modules are imported, and
each suite test takes it through `@suite_settings(...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, settings

T = TypeVar("T", bound=Callable[..., Any])

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
_BASE = settings(max_examples=25, deadline=None, suppress_health_check=_HEALTH)
PROFILES: dict[str, settings] = {
    "dev": _BASE,
    "ci": settings(_BASE, derandomize=True),
    # Billed endpoints: few examples, and no shrinking (each shrink step is another paid request).
    "live": settings(_BASE, max_examples=5, phases=[Phase.explicit, Phase.reuse, Phase.generate]),
}
MARK = "_conformance_suite_settings"  # set on each test that took the suite's settings

_active = "dev"


def activate(name: str) -> None:
    global _active
    if name not in PROFILES:
        raise ValueError(f"profile {name!r}, but only {', '.join(map(repr, PROFILES))} exist")
    _active = name


def active() -> str:
    return _active


def suite_settings(**overrides: Any) -> Callable[[T], T]:
    """The active profile with `overrides`, as a decorator for a suite test (above or below @given)."""

    def apply(test: T) -> T:
        decorated = settings(PROFILES[_active], **overrides)(test)
        setattr(decorated, MARK, True)
        return decorated

    return apply


def has_suite_settings(test: Callable[..., Any]) -> bool:
    inner = getattr(getattr(test, "hypothesis", None), "inner_test", None)
    return bool(getattr(test, MARK, False) or getattr(inner, MARK, False))
