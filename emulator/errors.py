"""Every refusal the emulator gives, in the three shapes a client meets on the wire.

SageMaker's own errors, the shared AWS front door (auth) and plain HTTP
refusals look different on the wire, and botocore reads each differently; one
constructor per shape lives here and nowhere else builds an error body. A
pipeline stage refuses by raising the `Refusal` it builds; the pipeline turns
it into the answer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from invokeendpoint_conformance import specs

# Observed on AWS (docs/observed-aws.md: aws/amazon-sagemaker-examples#290) but not carried by specs/:
# the front door's x-amzn-ErrorType is "<Name>:<this namespace>", and its auth refusals are 403.
FRONT_DOOR_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.coral.service/"
FRONT_DOOR_STATUS = 403

# The <container> word of ModelError messages: "primary" since 2022 (docs/observed-aws.md), not in specs/.
CONTAINER_WORD = "primary"

# How much of a container's error body a ModelError quotes (our own cap, twice: Message and
# OriginalMessage). AWS documents none; without one, a 6 MiB error body would cost ~70 MB of JSON.
MODEL_MESSAGE_LIMIT = 1 << 20


class Refusal(Exception):
    """An answer other than success. `error_type` is the x-amzn-ErrorType value, if any."""

    def __init__(
        self,
        status: int,
        body: Mapping[str, Any],
        *,
        error_type: str | None = None,
        close: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {error_type or ''}: {body}")
        self.status = status
        self.body = dict(body)
        self.error_type = error_type
        self.close = close
        self.headers = dict(headers or {})

    def response_headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", **self.headers}
        if self.error_type is not None:
            headers["x-amzn-ErrorType"] = self.error_type
        return headers

    def response_body(self) -> bytes:
        return json.dumps(self.body).encode("utf-8")


def message(key: str, **fields: object) -> str:
    """An observed message from specs/messages.json, filled in."""
    template: str = specs.messages()[key]["template"]
    return template.format(**fields)


def service_error(edition: specs.Edition, name: str, code: str, text: str, **members: object) -> Refusal:
    """Shape 1, SageMaker's own: status from the edition, `{"ErrorCode", "Message", ...members}`."""
    return Refusal(edition.errors[name], {"ErrorCode": code, "Message": text, **members}, error_type=name)


def front_door_error(name: str, text: str) -> Refusal:
    """Shape 2, the shared AWS front door (auth): 403, namespaced error type, lower-case `message`."""
    return Refusal(FRONT_DOOR_STATUS, {"message": text}, error_type=f"{name}:{FRONT_DOOR_NAMESPACE}")


def plain_error(
    status: int,
    text: str,
    *,
    name: str | None = None,
    close: bool = False,
    headers: Mapping[str, str] | None = None,
) -> Refusal:
    """Shape 3, plain HTTP (404, 405, 408, 413): `{"message": ...}`, an error type only if named."""
    return Refusal(status, {"message": text}, error_type=name, close=close, headers=headers)


def log_stream_arn(region: str, account: str, endpoint: str) -> str:
    return f"arn:aws:logs:{region}:{account}:log-group:/aws/sagemaker/Endpoints/{endpoint}"


def model_error(
    edition: specs.Edition,
    *,
    status: int,
    body: bytes | bytearray,
    endpoint: str,
    account: str,
    region: str,
) -> Refusal:
    """A container answer >= 400 becomes ModelError (424), worded as AWS words it."""
    text = bytes(body[:MODEL_MESSAGE_LIMIT]).decode("utf-8", errors="replace")
    side = "client" if status < 500 else "server"
    wording = message(
        "model-error",
        side=side,
        status=status,
        container=CONTAINER_WORD,
        body=text,
        region=region,
        endpoint=endpoint,
        account=account,
    )
    # The ErrorCode values come from public test fixtures (docs/observed-aws.md, weaker evidence).
    code = "CLIENT_ERROR_FROM_MODEL" if side == "client" else "SERVER_ERROR_FROM_MODEL"
    return service_error(
        edition,
        "ModelError",
        code,
        wording,
        OriginalStatusCode=status,
        OriginalMessage=text,
        LogStreamArn=log_stream_arn(region, account, endpoint),
    )


def model_timeout(edition: specs.Edition, *, endpoint: str, account: str, region: str) -> Refusal:
    """No container answer in time: ModelError whose message reports status 0, as AWS does."""
    wording = message(
        "model-timeout", container=CONTAINER_WORD, region=region, endpoint=endpoint, account=account
    )
    # AWS words a time-out as a "server error (0)" whose quoted message is the time-out notice;
    # the members say the same (our reading: no raw time-out body was ever captured).
    quoted = specs.message_pattern("model-error").fullmatch(wording)
    return service_error(
        edition,
        "ModelError",
        "SERVER_ERROR_FROM_MODEL",
        wording,
        OriginalStatusCode=0,
        OriginalMessage=quoted.group("body") if quoted else wording,
        LogStreamArn=log_stream_arn(region, account, endpoint),
    )
