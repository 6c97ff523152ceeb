"""The SDK path: boto3's sagemaker-runtime client, pointed at the target, end to end."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.config import Config

from invokeendpoint_conformance.conformance.client import TargetClient

if TYPE_CHECKING:
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient


@pytest.fixture(scope="module")
def sdk(client: TargetClient) -> SageMakerRuntimeClient:
    if client.signer is None:
        pytest.skip("not-applicable: boto3 always signs, and this run is --auth none")
    creds = client.credentials
    return boto3.client(
        "sagemaker-runtime",
        endpoint_url=client.url,
        region_name=client.target.region,
        aws_access_key_id=creds.access_key,
        aws_secret_access_key=creds.secret_key,
        aws_session_token=creds.token,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


@pytest.mark.clause("sdk.valid-invocation")
def test_boto3_invokes_the_probe(client: TargetClient, sdk: SageMakerRuntimeClient) -> None:
    answer = sdk.invoke_endpoint(
        EndpointName=client.target.probe_endpoint, Body=b'{"x": 1}', ContentType="application/json"
    )
    got = (answer["Body"].read(), answer.get("ContentType"), answer.get("InvokedProductionVariant"))
    wanted = (b'{"x": 1}', "application/json", client.target.variant)
    if got != wanted:
        client.fail(
            "sdk.valid-invocation",
            None,
            f"(Body, ContentType, InvokedProductionVariant) = {got}",
            f"{wanted}",
        )


ERRORS = {
    "ValidationError": lambda c: {"EndpointName": c.absent_prefix + "sdk", "Body": b"x"},
    "ModelError": lambda c: {
        "EndpointName": c.target.probe_endpoint,
        "Body": b"x",
        "CustomAttributes": "probe-status=500",
    },
}


@pytest.mark.clause("sdk.modelled-errors")
@pytest.mark.parametrize("name", ERRORS)
def test_boto3_raises_the_modelled_exception(
    client: TargetClient, sdk: SageMakerRuntimeClient, name: str
) -> None:
    modelled = getattr(sdk.exceptions, name)
    try:
        sdk.invoke_endpoint(**ERRORS[name](client))
    except modelled:
        return
    except Exception as error:  # any other class is the finding
        client.fail(
            "sdk.modelled-errors", None, f"{type(error).__name__}: {error}", f"{name} raised by boto3"
        )
    client.fail("sdk.modelled-errors", None, "no exception", f"{name} raised by boto3")
