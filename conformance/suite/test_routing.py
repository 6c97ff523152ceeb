"""Routing headers of the current edition, sent to the probe's plain single-model endpoint."""

from __future__ import annotations

import pytest

from invokeendpoint_conformance.conformance.client import TargetClient

REFUSED = {
    "routing.target-model-refused": ("X-Amzn-SageMaker-Target-Model", "model.tar.gz"),
    "routing.target-container-hostname-refused": (
        "X-Amzn-SageMaker-Target-Container-Hostname",
        "container-1",
    ),
    "routing.inference-component-refused": ("X-Amzn-SageMaker-Inference-Component", "component-1"),
    "routing.target-variant-other-refused": ("X-Amzn-SageMaker-Target-Variant", "conformance-absent-variant"),
}


@pytest.mark.parametrize("clause_id", [pytest.param(c, marks=pytest.mark.clause(c), id=c) for c in REFUSED])
def test_routing_header_the_probe_cannot_honour_is_refused(client: TargetClient, clause_id: str) -> None:
    client.expect(clause_id, client.invoke(headers=[REFUSED[clause_id]], body=b"route"))


@pytest.mark.clause("routing.target-variant-own")
def test_target_variant_naming_the_probes_variant_is_honoured(client: TargetClient) -> None:
    exchange = client.invoke(headers=[("X-Amzn-SageMaker-Target-Variant", client.target.variant)], body=b"v")
    client.expect("routing.target-variant-own", exchange)


@pytest.mark.clause("routing.inference-id-accepted")
def test_well_formed_inference_id_is_accepted(client: TargetClient) -> None:
    body = b"id"
    exchange = client.invoke(
        headers=[("X-Amzn-SageMaker-Inference-Id", "conformance-inference-1")], body=body
    )
    client.expect_echo("routing.inference-id-accepted", exchange, body)


@pytest.mark.clause("observed.target-model-message")
def test_target_model_refusal_has_aws_message(client: TargetClient) -> None:
    exchange = client.invoke(headers=[REFUSED["routing.target-model-refused"]], body=b"route")
    client.expect("observed.target-model-message", exchange, name=client.target.probe_endpoint)
