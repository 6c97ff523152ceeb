"""The pytest11 entry point: the suite's options, and nothing else unless the run selects the suite.

pytest loads this module in every run of an environment that holds the package,
so it imports nothing of ours and touches no global state (no Hypothesis
profile, no import of `conformance`, `strategies`, `specs` or `emulator`).

A run selects the suite by naming it (`--pyargs conformance`, mapped here to
this package's suite, so a project's own `conformance` package cannot stand in
for it; that one stays reachable by path) or by giving one of the suite's
options. Only then is the suite's plugin (`conformance/plugin.py`) registered,
early enough for a bad target config to be a usage error. A run that reaches
the suite's modules some other way (by path) gets it from the suite's own
conftest.py. `--conformance-report DIR` asks junitxml for DIR/junit.xml here,
before junitxml reads its option.
"""

from __future__ import annotations

import importlib
import os

import pytest

SUITE = "invokeendpoint_conformance.conformance.suite"
SUITE_PLUGIN = "invokeendpoint_conformance.conformance.plugin"
SUITE_PLUGIN_NAME = "invokeendpoint-conformance-suite"
# The suite's documented name under --pyargs, and what it stands for.
SUITE_ALIAS = "conformance"
PROFILE_NAMES = ("dev", "ci", "live")
# The options that say which target a run talks to (conformance/target.py resolves them).
TARGET_OPTIONS = (
    "url",
    "aws_region",
    "region",
    "auth",
    "enforces_auth",
    "probe_endpoint",
    "variant",
    "edition",
    "target_config",
)
# Giving any of these selects the suite.
SUITE_OPTIONS = (*TARGET_OPTIONS, "clauses", "conformance_report", "conformance_profile")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "InvokeEndpoint conformance suite")
    group.addoption(
        "--target-url",
        dest="url",
        metavar="URL",
        help="base URL of the target "
        "(default: start the embedded reference emulator on a free loopback port)",
    )
    group.addoption(
        "--target-aws",
        dest="aws_region",
        metavar="REGION",
        help="a live AWS endpoint in REGION (URL from botocore, credentials from boto3's chain)",
    )
    group.addoption(
        "--region", dest="region", metavar="REGION", help="SigV4 signing region (default us-east-1)"
    )
    group.addoption("--auth", dest="auth", choices=["sigv4", "none"], help="sign requests (default) or not")
    group.addoption(
        "--enforces-auth",
        dest="enforces_auth",
        action="store_true",
        default=None,
        help="the target rejects unsigned and badly signed requests: run the auth clauses",
    )
    group.addoption(
        "--probe-endpoint",
        dest="probe_endpoint",
        metavar="NAME",
        help="endpoint hosting the probe model (default conformance-probe)",
    )
    group.addoption(
        "--variant", dest="variant", metavar="NAME", help="the probe's variant (default AllTraffic)"
    )
    group.addoption(
        "--edition",
        dest="edition",
        metavar="NAME",
        help="which edition's clauses and limits apply: original (default) or current",
    )
    group.addoption(
        "--target-config",
        dest="target_config",
        metavar="FILE",
        help="TOML file holding any of the above for one target, plus its waivers",
    )
    group.addoption(
        "--clause",
        dest="clauses",
        action="append",
        metavar="ID",
        default=[],
        help="run only the tests of this clause (repeatable)",
    )
    group.addoption(
        "--conformance-report",
        dest="conformance_report",
        metavar="DIR",
        help="write report.json, report.md, report.html, badge.svg and junit.xml into DIR",
    )
    group.addoption(
        "--conformance-profile",
        dest="conformance_profile",
        choices=PROFILE_NAMES,
        help="the suite's Hypothesis settings: dev (default), ci (derandomised; the default when CI "
        "is set) or live (5 examples, no shrinking; the default with --target-aws)",
    )


def suite_argument(argument: str) -> str:
    """The --pyargs argument with the suite's alias mapped to the suite's real module name."""
    name, sep, rest = argument.partition("::")
    if name == SUITE_ALIAS:
        return SUITE + sep + rest
    if name.startswith(SUITE_ALIAS + "."):
        dotted = name.removeprefix(SUITE_ALIAS + ".").removeprefix("suite.").removeprefix("suite")
        return ".".join(filter(None, (SUITE, dotted))) + sep + rest
    return argument


def names_the_suite(argument: str) -> bool:
    name = argument.partition("::")[0]
    return name == SUITE or name.startswith(SUITE + ".")


def register_suite_plugin(config: pytest.Config) -> None:
    """Load and register the suite's plugin, once (the suite's conftest.py calls this too)."""
    plugin = importlib.import_module(SUITE_PLUGIN)
    if not config.pluginmanager.is_registered(plugin):
        config.pluginmanager.register(plugin, SUITE_PLUGIN_NAME)


@pytest.hookimpl(tryfirst=True)  # before junitxml reads its path
def pytest_configure(config: pytest.Config) -> None:
    if config.option.pyargs:
        config.args[:] = [suite_argument(a) for a in config.args]
    named = config.option.pyargs and any(names_the_suite(a) for a in config.args)
    if named or any(getattr(config.option, dest) for dest in SUITE_OPTIONS):
        register_suite_plugin(config)
    directory = config.option.conformance_report
    if directory and not config.option.xmlpath:
        os.makedirs(directory, exist_ok=True)
        config.option.xmlpath = os.path.join(directory, "junit.xml")
