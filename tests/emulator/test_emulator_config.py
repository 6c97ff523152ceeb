"""Configuration files: a bad one stops the emulator (exit 2, one clear message); good ones apply."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest
from emulator_testkit import ACCESS_KEY, ATTRIBUTES, PROBE, REGION, call, error_of, parse

from invokeendpoint_conformance import launcher, specs

GOOD_VARIANT = '[[endpoints.e.variants]]\nname = "A"\nmodel = "probe"\n'

# file text -> what the message must name (besides the file): a line, or a key path
BAD_FILES = {
    "syntax": ('account = "123456789012"\nregion = \n', "line 2"),
    "syntax-table": ("[endpoints\n", "line 1"),
    "unknown-top-key": ('acount = "123456789012"\n', "acount: unknown key"),
    "account-type": ("account = 123456789012\n", "account: must be a string"),
    "account-digits": ('account = "1234"\n', "account: "),
    "region-type": ("region = true\n", "region: must be a string"),
    "region-format": ('region = "US East"\n', "region: "),
    "credentials-not-array": ('credentials = "x"\n', "credentials: must be an array of tables"),
    "credentials-missing-secret": (
        '[[credentials]]\naccess_key = "AK"\n',
        "credentials[0]: missing key 'secret_key'",
    ),
    "credentials-unknown-key": (
        '[[credentials]]\naccess_key = "AK"\nsecret_key = "S"\ntoken = "T"\n',
        "credentials[0].token: unknown key",
    ),
    "endpoint-name-pattern": (
        '[[endpoints."bad_name".variants]]\nname = "A"\nmodel = "probe"\n',
        "endpoints.bad_name",
    ),
    "endpoint-name-length": (
        f'[[endpoints.{"a" * 64}.variants]]\nname = "A"\nmodel = "probe"\n',
        f"endpoints.{'a' * 64}: invalid endpoint name",
    ),
    "endpoint-unknown-key": ("[endpoints.e]\nvariant = []\n", "endpoints.e.variant: unknown key"),
    "variants-empty": (
        "[endpoints.e]\nvariants = []\n",
        "endpoints.e.variants: an endpoint needs at least one",
    ),
    "variants-missing": ("[endpoints.e]\n", "endpoints.e.variants"),
    "variant-name-pattern": (
        '[[endpoints.e.variants]]\nname = "-A"\nmodel = "probe"\n',
        "endpoints.e.variants[0].name",
    ),
    "variant-name-missing": (
        '[[endpoints.e.variants]]\nmodel = "probe"\n',
        "endpoints.e.variants[0]: missing key 'name'",
    ),
    "variant-duplicate": (GOOD_VARIANT * 2, "endpoints.e.variants[1].name: variant name 'A' appears twice"),
    "weight-zero": (
        GOOD_VARIANT + "weight = 0\n",
        "endpoints.e.variants[0].weight: must be a finite number greater",
    ),
    "weight-negative": (GOOD_VARIANT + "weight = -1.5\n", "endpoints.e.variants[0].weight"),
    "weight-type": (GOOD_VARIANT + 'weight = "1"\n', "endpoints.e.variants[0].weight: must be a number"),
    "weight-bool": (GOOD_VARIANT + "weight = true\n", "endpoints.e.variants[0].weight: must be a number"),
    "both-model-and-url": (
        GOOD_VARIANT + 'container_url = "http://127.0.0.1:9"\n',
        "endpoints.e.variants[0]: needs exactly one of 'model' or 'container_url'",
    ),
    "neither-model-nor-url": ('[[endpoints.e.variants]]\nname = "A"\n', "needs exactly one of"),
    "unknown-model": (
        '[[endpoints.e.variants]]\nname = "A"\nmodel = "xgboost"\n',
        "variants[0].model: unknown model",
    ),
    "bad-url": (
        '[[endpoints.e.variants]]\nname = "A"\ncontainer_url = "ftp://x"\n',
        "variants[0].container_url",
    ),
    "variant-unknown-key": (GOOD_VARIANT + "size = 1\n", "endpoints.e.variants[0].size: unknown key"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_exits_2_naming_file_and_place(tmp_path, case):
    text, where = BAD_FILES[case]
    path = tmp_path / "emulator.toml"
    path.write_text(text)
    done = subprocess.run(launcher.emulator_command(config=path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""  # never announced a URL
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(path) in lines[0] and where in lines[0], lines[0]


def test_missing_file_exits_2(tmp_path):
    done = subprocess.run(
        launcher.emulator_command(config=tmp_path / "absent.toml"), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "absent.toml" in done.stderr


def test_launcher_reports_a_start_failure(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("nonsense = 1\n")
    with pytest.raises(launcher.StartError, match="(?s)exited with code 2.*nonsense"):
        launcher.start(launcher.emulator_command(config=path))


CONFIG = f"""
account = "210987654321"
region = "eu-west-1"

[[credentials]]
access_key = "AKIACONFIGURED000000"
secret_key = "configured-secret"

[endpoints.two-variants]
[[endpoints.two-variants.variants]]
name = "Blue"
weight = 3
model = "probe"
[[endpoints.two-variants.variants]]
name = "Green"
weight = 1.0
model = "probe"

[endpoints.{PROBE}]
[[endpoints.{PROBE}.variants]]
name = "Replaced"
model = "probe"
"""


@pytest.fixture(scope="module")
def configured(tmp_path_factory):
    path = tmp_path_factory.mktemp("config") / "emulator.toml"
    path.write_text(CONFIG)
    with launcher.start(
        launcher.emulator_command(edition="current", enforce_auth=True, config=path)
    ) as running:
        yield running


def test_account_and_region_come_from_the_file(configured):
    response = call(configured.url, "absent-endpoint", region="eu-west-1")
    found = specs.message_pattern("endpoint-not-found").fullmatch(error_of(response)[1])
    assert found and found["account"] == "210987654321"
    response = call(configured.url, "two-variants", headers={ATTRIBUTES: "probe-status=500"})
    assert parse(response)["LogStreamArn"].startswith("arn:aws:logs:eu-west-1:210987654321:")


def test_variants_are_drawn_by_weight(configured):
    seen = Counter(
        call(configured.url, "two-variants", body=b"x").headers["x-Amzn-Invoked-Production-Variant"]
        for _ in range(200)
    )
    assert set(seen) == {"Blue", "Green"} and seen["Blue"] > seen["Green"]


def test_target_variant_pins_the_variant(configured):
    for name in ("Blue", "Green"):
        response = call(configured.url, "two-variants", headers={"X-Amzn-SageMaker-Target-Variant": name})
        assert response.headers["x-Amzn-Invoked-Production-Variant"] == name


def test_file_may_redefine_the_probe_endpoint(configured):
    assert call(configured.url, PROBE).headers["x-Amzn-Invoked-Production-Variant"] == "Replaced"


@pytest.mark.parametrize(
    "access_key, secret_key, status",
    [
        ("AKIACONFIGURED000000", "configured-secret", 200),
        (ACCESS_KEY, None, 200),
        ("AKIACONFIGURED000000", "x", 403),
    ],
)
def test_configured_and_example_credentials_are_accepted(configured, access_key, secret_key, status):
    kwargs = {"access_key": access_key} | ({"secret_key": secret_key} if secret_key else {})
    assert call(configured.url, PROBE, region=REGION, **kwargs).status_code == status


def test_console_script_and_module_share_main():
    done = subprocess.run(
        [sys.executable, "-m", "invokeendpoint_conformance.emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    for option in ("--host", "--port", "--config", "--edition", "--enforce-auth"):
        assert option in done.stdout
