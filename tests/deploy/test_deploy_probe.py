"""deploy/deploy_probe.py against moto's SageMaker control plane (in-process and as a server)."""

from __future__ import annotations

import importlib.util
import socket
import sys
from pathlib import Path

import boto3
import pytest
from moto import mock_aws
from moto.server import ThreadedMotoServer

from invokeendpoint_conformance import specs

DEFAULTS = specs.contract()["defaults"]
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/invokeendpoint-probe:latest"
ROLE = "arn:aws:iam::123456789012:role/SageMakerProbe"

_spec = importlib.util.spec_from_file_location(
    "deploy_probe", Path(__file__).resolve().parents[2] / "deploy" / "deploy_probe.py"
)
deploy_probe = sys.modules[_spec.name] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(deploy_probe)


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
    }.items():
        monkeypatch.setenv(name, value)


def _described(client, endpoint_name: str = DEFAULTS["probe_endpoint"]) -> tuple[dict, dict, dict]:
    endpoint = client.describe_endpoint(EndpointName=endpoint_name)
    config = client.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
    model = client.describe_model(ModelName=config["ProductionVariants"][0]["ModelName"])
    return endpoint, config, model


@mock_aws
def test_deploy_creates_the_contract_s_probe_endpoint():
    client = boto3.client("sagemaker", region_name=DEFAULTS["region"])
    deployment = deploy_probe.deploy(client, image_uri=IMAGE, role_arn=ROLE, instance_type="ml.m5.xlarge")
    endpoint, config, model = _described(client)
    assert endpoint["EndpointArn"] == deployment.endpoint_arn
    assert endpoint["EndpointName"] == DEFAULTS["probe_endpoint"]
    [variant] = config["ProductionVariants"]
    assert variant["VariantName"] == DEFAULTS["variant"]
    assert variant["InstanceType"] == "ml.m5.xlarge" and variant["InitialInstanceCount"] == 1
    assert model["PrimaryContainer"]["Image"] == IMAGE
    assert model["ExecutionRoleArn"] == ROLE


@mock_aws
def test_main_honours_region_and_names(capsys):
    code = deploy_probe.main(
        ["--image-uri", IMAGE, "--role-arn", ROLE, "--region", "eu-west-1", "--endpoint-name", "probe-two"]
    )
    assert code == 0
    assert "arn:aws:sagemaker:eu-west-1:" in capsys.readouterr().out
    client = boto3.client("sagemaker", region_name="eu-west-1")
    endpoint, config, _ = _described(client, "probe-two")
    assert config["ProductionVariants"][0]["InstanceType"] == "ml.m5.large"


def test_main_talks_to_the_endpoint_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        url = f"http://127.0.0.1:{port}"
        assert deploy_probe.main(["--image-uri", IMAGE, "--role-arn", ROLE, "--endpoint-url", url]) == 0
        client = boto3.client("sagemaker", region_name=DEFAULTS["region"], endpoint_url=url)
        endpoint, config, model = _described(client)
        assert config["ProductionVariants"][0]["VariantName"] == DEFAULTS["variant"]
        assert model["PrimaryContainer"]["Image"] == IMAGE
    finally:
        server.stop()


def test_image_and_role_are_required(capsys):
    with pytest.raises(SystemExit) as exited:
        deploy_probe.main(["--image-uri", IMAGE])
    assert exited.value.code == 2
    assert "--role-arn" in capsys.readouterr().err
