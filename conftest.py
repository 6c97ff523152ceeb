"""Loads the suite's pytest plugin in a bare checkout.

An installed copy registers `conformance.plugin` through its pytest11 entry
point, and registering it twice is an error, so this loads it only where no
entry point does.
"""

from importlib.metadata import entry_points

if not any(ep.value == "conformance.plugin" for ep in entry_points(group="pytest11")):
    pytest_plugins = ["conformance.plugin"]
