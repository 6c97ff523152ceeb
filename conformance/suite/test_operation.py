"""The operation is POST /endpoints/{EndpointName}/invocations and nothing else."""

from __future__ import annotations

import pytest

from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.wire import invocation_path


@pytest.mark.clause("operation.method")
@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_other_methods_are_not_invocations(client: TargetClient, method: str) -> None:
    exchange = client.invoke(method=method, body=b"not an invocation", directives={"probe-echo": "headers"})
    client.expect("operation.method", exchange)


PATHS = {
    "other last segment": lambda name: f"/endpoints/{name}/invoke",
    "extra segment": lambda name: invocation_path(name) + "/extra",
    "no endpoints prefix": lambda name: f"/{name}/invocations",
    "singular prefix": lambda name: f"/endpoint/{name}/invocations",
}


@pytest.mark.clause("operation.path")
@pytest.mark.parametrize("case", PATHS)
def test_other_paths_are_not_invocations(client: TargetClient, case: str) -> None:
    invocation = client.invocation(body=b"not an invocation", directives={"probe-echo": "headers"})
    path = PATHS[case](client.target.probe_endpoint)
    client.expect("operation.path", client.send(invocation, path=path))
