"""The emulator's decisions: one method each of `Pipeline`, in the order AWS makes them.

A method returns what it decided or raises the `errors.Refusal` that answers
the request. `app.Emulator` calls them in that order (app.py's docstring) and
does everything that is not a decision: HTTP, streaming bodies in and out, the
access log. The app is handed the class, so a deliberately broken emulator is
a subclass that overrides one method (tests/mutants/broken_emulator.py) and
the type checker holds the override to the signature here; nothing is looked
up through a module at call time, and nothing is meant to be monkeypatched.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from aiohttp import ClientError, ClientSession, ClientTimeout

from invokeendpoint_conformance import specs

from . import auth, errors, probe, validation
from .config import Endpoint, Variant
from .settings import Settings

CONTRACT = specs.contract()
REQUEST_ID = "x-amzn-RequestId"


@dataclass(frozen=True)
class ModelAnswer:
    """What a container answered: status, headers (any case), body."""

    status: int
    headers: Mapping[str, str]
    body: bytes | bytearray


@dataclass(frozen=True)
class Answer:
    """What the emulator answers; `close`: the connection closes once it is sent."""

    status: int
    headers: dict[str, str]
    body: bytes | bytearray
    close: bool = False


def origin_form(raw_target: str) -> str:
    """The request target as path[?query], undecoded (an absolute-form target loses its scheme and host)."""
    if raw_target.startswith("/"):
        return raw_target
    parts = urlsplit(raw_target)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _upper_snake(member_name: str) -> str:
    return "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(member_name)).upper()


def _wire_safe(value: str) -> str:
    """A header value aiohttp can write: undecodable bytes become U+FFFD, line breaks a space."""
    value = value.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
    return value.replace("\r", " ").replace("\n", " ")


class Pipeline:
    """What one running emulator decides, stage by stage; it holds the client session of container calls."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._session: ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    # ---- before the body ------------------------------------------------------------------------

    def route(self, method: str, raw_target: str) -> str:
        """The endpoint name of an invocation (percent-decoded from the raw segment), or 404 / 405."""
        edition = self.settings.edition
        path = origin_form(raw_target).partition("?")[0]
        template, segments = edition.uri.split("/"), path.split("/")
        if len(segments) != len(template) or any(
            t != s for t, s in zip(template, segments, strict=True) if not t.startswith("{")
        ):
            # Our own wording: AWS's answer to an unknown path was never captured.
            text = f"No operation at this path; {edition.method} {edition.uri} is the only one."
            raise errors.plain_error(404, text, name="UnknownOperationException")
        if method != edition.method:
            text = f"{method} is not an operation on this path; use {edition.method}."  # our own wording
            raise errors.plain_error(
                405, text, name="UnknownOperationException", headers={"Allow": edition.method}
            )
        return unquote(segments[template.index("{EndpointName}")], errors="replace")

    def check_authorization(self, headers: Mapping[str, str]) -> auth.SignedRequest | None:
        """What the Authorization header decides alone (a 403 refusal); None where auth is not enforced."""
        if not self.settings.enforce_auth:
            return None
        s = self.settings
        return auth.check_authorization(headers, s.config.credentials, s.edition.signing_name)

    def body_limit(self) -> int:
        """The longest body the edition allows, in bytes."""
        return self.settings.edition.body_limit

    def check_body_length(self, length: int | None) -> None:
        """Refuse a body (declared, or read so far) longer than the limit: 413, then close."""
        limit = self.body_limit()
        if length is not None and length > limit:
            raise errors.plain_error(413, errors.message("body-too-large", limit=limit), close=True)

    # ---- once the body is in --------------------------------------------------------------------

    def verify_signature(
        self,
        signed: auth.SignedRequest,
        method: str,
        raw_target: str,
        headers: Mapping[str, str],
        body: bytes | bytearray,
    ) -> None:
        """Refuse (403) unless the signature botocore recomputes for the request as received matches."""
        auth.verify_signature(signed, method, origin_form(raw_target), headers, body)

    def violations(self, member: specs.Member, value: str) -> list[str]:
        """Each constraint of a request member that a value breaks."""
        return validation.violations(member, value)

    def check_endpoint_name(self, name: str) -> None:
        """Refuse a name that breaks the edition's EndpointName constraints (length, whole-value pattern)."""
        member = self.settings.edition.request["EndpointName"]
        problems = [(member, name, broken) for broken in self.violations(member, name)]
        if problems:
            raise validation.validation_error(self.settings.edition, problems)

    def check_headers(self, headers: Mapping[str, str]) -> None:
        """Refuse a request whose header members break the edition's constraints (all listed at once)."""
        problems: list[tuple[specs.Member, str, str]] = []
        for member in self.settings.edition.header_members().values():
            value = validation.header_value(headers, validation.header_name(member))
            if value is not None:
                problems += [(member, value, broken) for broken in self.violations(member, value)]
        if problems:
            raise validation.validation_error(self.settings.edition, problems)

    def lookup_endpoint(self, name: str) -> Endpoint:
        """The endpoint of that exact name (case matters), or ValidationError with AWS's not-found message."""
        config = self.settings.config
        endpoint = config.endpoints.get(name)
        if endpoint is None:
            text = errors.message("endpoint-not-found", name=name, account=config.account)
            # The code was observed.
            raise errors.service_error(self.settings.edition, "ValidationError", "NO_SUCH_ENDPOINT", text)
        return endpoint

    def check_routing_headers(self, headers: Mapping[str, str], endpoint: Endpoint) -> str | None:
        """Refuse routing headers this endpoint cannot honour; return the variant a Target-Variant names.

        Only headers that are members of the active edition count; elsewhere they are
        stripped like any unsupported header. Our endpoints are all plain ones (one
        model per variant, no inference components, no direct container invocation).
        """
        edition = self.settings.edition
        members = {validation.header_name(m).lower(): m for m in edition.header_members().values()}
        for header in CONTRACT["refused_routing_headers"]:
            member = members.get(header.lower())
            if member is None or validation.header_value(headers, header) is None:
                continue
            code = f"{_upper_snake(member.name)}_HEADER_NOT_SUPPORTED"  # gives the observed TARGET_MODEL_...
            if member.name == "TargetModel":
                text = errors.message("target-model-not-supported", name=endpoint.name)
            else:
                text = f"Endpoint {endpoint.name} does not support the {header} header."  # our own wording
            raise errors.service_error(edition, "ValidationError", code, text)
        target = edition.request.get("TargetVariant")
        named = validation.header_value(headers, validation.header_name(target)) if target else None
        if named is not None and endpoint.variant(named) is None:
            text = f"Endpoint {endpoint.name} has no production variant named {named}."  # our own wording
            raise errors.service_error(edition, "ValidationError", "NO_SUCH_VARIANT", text)
        return named

    def pick_variant(self, endpoint: Endpoint, targeted: str | None) -> Variant:
        """The variant a Target-Variant named, else one drawn by weight."""
        named = endpoint.variant(targeted) if targeted is not None else None
        if named is not None:
            return named
        return random.choices(endpoint.variants, weights=[v.weight for v in endpoint.variants])[0]

    def forward_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Only the headers the contract says reach a model; all others are stripped."""
        forwarded = {}
        for name in CONTRACT["probe"]["forwarded_headers"]:
            value = validation.header_value(headers, name)
            if value is not None:
                forwarded[name] = value
        return forwarded

    # ---- the model ------------------------------------------------------------------------------

    def model_time_limit(self) -> float:
        """Seconds a model may take before its call becomes a time-out ModelError."""
        return self.settings.model_time_limit

    async def call_model(
        self, variant: Variant, headers: Mapping[str, str], body: bytes | bytearray
    ) -> ModelAnswer:
        """The probe in-process, or the variant's container over SageMaker's container contract."""
        if variant.container_url is not None:
            return await self.call_container(variant.container_url, headers, body)
        answer = self.probe_answer(body, headers)
        if answer.delay:
            await asyncio.sleep(answer.delay)
        return ModelAnswer(answer.status, answer.headers, answer.body)

    def probe_directives(self, attributes: str | None) -> probe.Directives:
        """The probe's directives among a custom-attributes value (probe.DirectiveError if malformed)."""
        return probe.parse_directives(attributes)

    def probe_answer(self, body: bytes | bytearray, headers: Mapping[str, str]) -> probe.ProbeAnswer:
        """What the in-process probe answers to what reached it."""
        return probe.answer(body, headers, parse=self.probe_directives)

    async def call_container(
        self, url: str, headers: Mapping[str, str], body: bytes | bytearray
    ) -> ModelAnswer:
        """POST /invocations to a container; unreachable is ServiceUnavailable, too long InternalFailure."""
        edition = self.settings.edition
        if self._session is None:
            self._session = ClientSession(auto_decompress=False, timeout=ClientTimeout(total=None))
        limit = edition.response["Body"].max_length
        try:
            async with self._session.post(
                f"{url}/invocations",
                data=body,
                headers=headers,
                skip_auto_headers=("Content-Type", "Accept", "Accept-Encoding", "User-Agent"),
            ) as reply:
                answer = bytearray()
                async for chunk in reply.content.iter_any():
                    answer += chunk
                    if limit is not None and len(answer) > limit:
                        text = f"The model's answer is longer than {limit} bytes."  # our own wording
                        raise errors.service_error(edition, "InternalFailure", "INTERNAL_FAILURE", text)
                return ModelAnswer(reply.status, dict(reply.headers), answer)
        except (ClientError, ConnectionError, OSError):
            text = f"The model container at {url} could not be reached."  # our own wording
            raise errors.service_error(edition, "ServiceUnavailable", "SERVICE_UNAVAILABLE", text) from None

    def model_timeout(self, endpoint: Endpoint) -> errors.Refusal:
        """No answer within the time limit: ModelError reporting status 0, as AWS does."""
        config = self.settings.config
        return errors.model_timeout(
            self.settings.edition, endpoint=endpoint.name, account=config.account, region=config.region
        )

    def map_model_answer(self, answer: ModelAnswer, endpoint: Endpoint) -> None:
        """A container status >= 400 becomes ModelError (424); anything lower is a success."""
        if answer.status >= 400:
            raise self.model_error(answer, endpoint)

    def model_error(self, answer: ModelAnswer, endpoint: Endpoint) -> errors.Refusal:
        """The ModelError for a container's error answer, worded as AWS words it."""
        config = self.settings.config
        return errors.model_error(
            self.settings.edition,
            status=answer.status,
            body=answer.body,
            endpoint=endpoint.name,
            account=config.account,
            region=config.region,
        )

    # ---- the answer -----------------------------------------------------------------------------

    def success_status(self, answer: ModelAnswer) -> int:
        """Any container status below 400 reaches the caller as 200."""
        return 200

    def success_headers(self, model_headers: Mapping[str, str], variant: Variant) -> dict[str, str]:
        """The container's Content-Type verbatim, its custom attributes if it set any, the variant's name."""
        model = {name.lower(): value for name, value in model_headers.items()}
        headers = {}
        if "content-type" in model:
            headers["Content-Type"] = _wire_safe(model["content-type"])
        attributes = CONTRACT["probe"]["directive_header"]  # the custom-attributes header
        if attributes.lower() in model:
            headers[attributes] = _wire_safe(model[attributes.lower()])
        variant_member = self.settings.edition.response["InvokedProductionVariant"]
        headers[validation.header_name(variant_member)] = variant.name
        return headers

    def malformed_request(self, status: int) -> errors.Refusal:
        """What a request aiohttp's HTTP parser refused gets (a control character in a header value,
        a bad Content-Length, ...): its status, a 4xx, in the plain shape, never quoting the request.

        HTTP allows the refusal (RFC 9110 5.5: a recipient of NUL, CR or LF in a field value rejects
        the message or replaces them with SP; it may keep other control characters, or refuse them)."""
        text = "The request is not well-formed HTTP." if status < 500 else "An internal failure occurred."
        return errors.plain_error(status, text)  # our own wording

    def refusal_answer(self, refusal: errors.Refusal) -> Answer:
        """A refusal as it goes on the wire: its status, its shape's headers and JSON body."""
        return Answer(refusal.status, refusal.response_headers(), refusal.response_body(), refusal.close)

    def stamp_request_id(self, answer: Answer, request_id: str) -> Answer:
        """Every answer, success or refusal, carries its own request id."""
        return replace(answer, headers={**answer.headers, REQUEST_ID: request_id})
