"""Deliberately broken variants of the reference emulator, one realistic bug each.

    python tests/mutants/broken_emulator.py MUTANT [emulator options...]

starts the emulator with that one bug, through the emulator's own `main`. Each
mutant is a subclass of the emulator's `Pipeline` that overrides one method
(calling `super()` for what it leaves alone), so the type checker holds it to
that method's signature. Each names the clause whose tests must catch it
(`tests/mutants/test_mutants.py` proves they do), the edition it needs and
whether auth must be enforced; its docstring is the bug.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from typing_extensions import override

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.emulator import __main__ as emulator_main
from invokeendpoint_conformance.emulator import auth, errors, probe, validation
from invokeendpoint_conformance.emulator.config import Endpoint, Variant
from invokeendpoint_conformance.emulator.pipeline import Answer, ModelAnswer, Pipeline


@dataclass(frozen=True)
class Mutant:
    name: str
    clause: str
    bug: str
    pipeline: type[Pipeline]
    edition: str = "original"
    enforce_auth: bool = False


MUTANTS: dict[str, Mutant] = {}
Broken = TypeVar("Broken", bound=type[Pipeline])
# Where a class name's words meet: ContentTypeLimitOneShort -> content-type-limit-one-short,
# Container2xxPassedThrough -> container-2xx-passed-through, IsAValidationError -> is-a-validation-error,
# BodyDecodedAsUTF8 -> body-decoded-as-utf8.
_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[a-z])(?=[0-9])|(?<=[A-Z])(?=[A-Z][a-z])")


def mutant(
    clause: str, *, edition: str = "original", enforce_auth: bool = False
) -> Callable[[Broken], Broken]:
    """Register a broken Pipeline under its class name in kebab case, its docstring as the bug."""

    def register(pipeline: Broken) -> Broken:
        name = _WORD_START.sub("-", pipeline.__name__).lower()
        bug = (pipeline.__doc__ or "").strip()
        MUTANTS[name] = Mutant(name, clause, bug, pipeline, edition, enforce_auth)
        return pipeline

    return register


# ---- names ---------------------------------------------------------------------------------------


@mutant("name.pattern")
class SlashSplitsTheName(Pipeline):
    """%2F is decoded before routing, so a name holding '/' gets 404 instead of ValidationError."""

    @override
    def route(self, method: str, raw_target: str) -> str:
        name = super().route(method, raw_target)
        if "/" in name:
            raise errors.plain_error(404, "Not Found")
        return name


@mutant("name.pattern")
class NonAsciiNameCrashes(Pipeline):
    """A non-ASCII name is encoded as ASCII somewhere and the handler crashes (500)."""

    @override
    def check_endpoint_name(self, name: str) -> None:
        name.encode("ascii")
        super().check_endpoint_name(name)


@mutant("name.case-sensitive")
class EndpointLookupIgnoresCase(Pipeline):
    """Endpoint names are looked up case-insensitively."""

    @override
    def lookup_endpoint(self, name: str) -> Endpoint:
        folded = {known.lower(): known for known in self.settings.config.endpoints}
        return super().lookup_endpoint(folded.get(name.lower(), name))


@mutant("name.absent")
class AbsentEndpointIs404(Pipeline):
    """An absent endpoint answers 404 ResourceNotFound, as many REST services do."""

    @override
    def lookup_endpoint(self, name: str) -> Endpoint:
        if name not in self.settings.config.endpoints:
            raise errors.plain_error(404, f"Endpoint {name} not found", name="ResourceNotFound")
        return super().lookup_endpoint(name)


@mutant("observed.endpoint-not-found-message")
class NotFoundMessageLowerCasesTheName(Pipeline):
    """The not-found message quotes the endpoint name in lower case."""

    @override
    def lookup_endpoint(self, name: str) -> Endpoint:
        known = name in self.settings.config.endpoints
        return super().lookup_endpoint(name if known else name.lower())


# ---- headers -------------------------------------------------------------------------------------


class _LimitShift(Pipeline):
    """A member's length limit is off by `shift` (a limit typed by hand)."""

    member: str
    shift: int

    @override
    def violations(self, member: specs.Member, value: str) -> list[str]:
        if member.name == self.member and member.max_length is not None:
            member = replace(member, max_length=member.max_length + self.shift)
        return super().violations(member, value)


@mutant("content-type.max-length")
class ContentTypeLimitOneShort(_LimitShift):
    """Content-Type is limited to 1023 characters."""

    member, shift = "ContentType", -1


@mutant("accept.max-length")
class AcceptLimitOneLong(_LimitShift):
    """Accept is limited to 1025 characters."""

    member, shift = "Accept", +1


@mutant("custom-attributes.max-length", edition="current")
class CustomAttributesLimitOneLong(_LimitShift):
    """X-Amzn-SageMaker-Custom-Attributes is limited to 1025 characters."""

    member, shift = "CustomAttributes", +1


@mutant("inference-id.max-length", edition="current")
class InferenceIdLimitOneShort(_LimitShift):
    """X-Amzn-SageMaker-Inference-Id is limited to 63 characters."""

    member, shift = "InferenceId", -1


@mutant("prefix-aware-id.max-length", edition="current")
class PrefixAwareIdLimitOneLong(_LimitShift):
    """X-Amzn-SageMaker-Prefix-Aware-Id is limited to 65 characters."""

    member, shift = "PrefixAwareId", +1


@mutant("content-type.ascii", edition="current")
class ContentTypePatternIgnored(Pipeline):
    """The Content-Type pattern is never checked, so non-ASCII media types reach the model."""

    @override
    def violations(self, member: specs.Member, value: str) -> list[str]:
        unchecked = replace(member, regex=None) if member.name == "ContentType" else member
        return super().violations(unchecked, value)


# ---- bodies --------------------------------------------------------------------------------------


class _BodyLimitShift(Pipeline):
    """The body limit is off by `shift` bytes."""

    shift: int

    @override
    def body_limit(self) -> int:
        return super().body_limit() + self.shift


@mutant("body.max-length")
class BodyLimitOneShort(_BodyLimitShift):
    """A body of exactly the limit is refused."""

    shift = -1


@mutant("body.max-length")
class BodyLimitOneLong(_BodyLimitShift):
    """A body of the limit plus one byte is accepted."""

    shift = +1


@mutant("observed.body-too-large-413")
class OversizedBodyIsAValidationError(Pipeline):
    """An oversized body is refused as ValidationError (400), allowed by the doc but not what AWS sends."""

    @override
    def check_body_length(self, length: int | None) -> None:
        if length is not None and length > self.body_limit():
            body = {"ErrorCode": "VALIDATION_ERROR", "Message": "Body too large"}
            raise errors.Refusal(400, body, error_type="ValidationError", close=True)


@mutant("body.passed-unchanged")
class BodyIsStripped(Pipeline):
    """The body is read as text and stripped of surrounding white space."""

    @override
    def probe_answer(self, body: bytes | bytearray, headers: Mapping[str, str]) -> probe.ProbeAnswer:
        return super().probe_answer(body.strip(), headers)


@mutant("body.passed-unchanged")
class BodyLineEndingsNormalised(Pipeline):
    """CR LF in the body becomes LF on the way to the model."""

    @override
    def probe_answer(self, body: bytes | bytearray, headers: Mapping[str, str]) -> probe.ProbeAnswer:
        return super().probe_answer(body.replace(b"\r\n", b"\n"), headers)


@mutant("body.passed-unchanged")
class BodyDecodedAsUTF8(Pipeline):
    """The body goes through a UTF-8 decode with replacement."""

    @override
    def probe_answer(self, body: bytes | bytearray, headers: Mapping[str, str]) -> probe.ProbeAnswer:
        text = bytes(body).decode("utf-8", "replace")
        return super().probe_answer(text.encode("utf-8"), headers)


# ---- forwarding ----------------------------------------------------------------------------------


@mutant("forward.accept")
class AcceptNotForwarded(Pipeline):
    """Accept is dropped on the way to the model."""

    @override
    def forward_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        forwarded = super().forward_headers(headers)
        return {name: value for name, value in forwarded.items() if name.lower() != "accept"}


@mutant("forward.strips-unsupported")
class EveryHeaderForwarded(Pipeline):
    """Every request header reaches the model: nothing is stripped."""

    @override
    def forward_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        return {**dict(headers), **super().forward_headers(headers)}


@mutant("forward.custom-attributes")
class CustomAttributesTrimmed(Pipeline):
    """Custom attributes are normalised (spaces removed) on the way to the model."""

    @override
    def forward_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        return {k: v.replace(" ", "") for k, v in super().forward_headers(headers).items()}


@mutant("forward.content-type")
class HeaderNamesMatchedWithCase(Pipeline):
    """Headers are looked up by their exact capitalisation, so 'content-type' is missed."""

    @override
    def forward_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        as_sent = dict(headers.items())
        wanted = ("Content-Type", "Accept", "X-Amzn-SageMaker-Custom-Attributes")
        return {name: as_sent[name] for name in wanted if name in as_sent}


# ---- successful responses ------------------------------------------------------------------------


@mutant("response.invoked-variant")
class VariantHeaderMissing(Pipeline):
    """x-Amzn-Invoked-Production-Variant is never sent."""

    @override
    def success_headers(self, model_headers: Mapping[str, str], variant: Variant) -> dict[str, str]:
        headers = super().success_headers(model_headers, variant)
        return {name: value for name, value in headers.items() if "variant" not in name.lower()}


@mutant("response.invoked-variant")
class VariantHeaderNamesTheEndpoint(Pipeline):
    """x-Amzn-Invoked-Production-Variant carries a made-up variant name."""

    @override
    def success_headers(self, model_headers: Mapping[str, str], variant: Variant) -> dict[str, str]:
        return super().success_headers(model_headers, replace(variant, name="variant-1"))


@mutant("response.content-type")
class ContentTypeIsAlwaysJson(Pipeline):
    """The response's Content-Type is application/json whatever the model said."""

    @override
    def success_headers(self, model_headers: Mapping[str, str], variant: Variant) -> dict[str, str]:
        return {**super().success_headers(model_headers, variant), "Content-Type": "application/json"}


@mutant("response.custom-attributes", edition="current")
class ModelCustomAttributesDropped(Pipeline):
    """The model's custom attributes never reach the caller."""

    @override
    def success_headers(self, model_headers: Mapping[str, str], variant: Variant) -> dict[str, str]:
        headers = super().success_headers(model_headers, variant)
        headers.pop("X-Amzn-SageMaker-Custom-Attributes", None)
        return headers


@mutant("observed.no-custom-attributes-when-unset")
class EmptyCustomAttributesAlwaysSent(Pipeline):
    """An empty X-Amzn-SageMaker-Custom-Attributes is sent when the model set none."""

    @override
    def success_headers(self, model_headers: Mapping[str, str], variant: Variant) -> dict[str, str]:
        return {"X-Amzn-SageMaker-Custom-Attributes": "", **super().success_headers(model_headers, variant)}


@mutant("response.container-2xx")
class Container2xxPassedThrough(Pipeline):
    """The container's own 2xx status (201, 202, ...) is passed to the caller."""

    @override
    def success_status(self, answer: ModelAnswer) -> int:
        return answer.status if 200 < answer.status < 300 else super().success_status(answer)


@mutant("observed.request-id")
class RequestIdIsACounter(Pipeline):
    """x-amzn-RequestId counts the requests (1, 2, ...) instead of holding a UUID."""

    count = 0

    @override
    def stamp_request_id(self, answer: Answer, request_id: str) -> Answer:
        self.count += 1
        return super().stamp_request_id(answer, str(self.count))


# ---- model errors --------------------------------------------------------------------------------


@mutant("model-error.container-500")
class ConnectionDroppedOnModelError(Pipeline):
    """When the container answers 500, the connection is dropped with no answer at all."""

    @override
    def model_error(self, answer: ModelAnswer, endpoint: Endpoint) -> errors.Refusal:
        if answer.status != 500:
            return super().model_error(answer, endpoint)
        raise asyncio.CancelledError  # aiohttp closes a cancelled handler's connection unanswered


@mutant("model-error.container-error")
class Container4xxPassedThrough(Pipeline):
    """A container's 4xx reaches the caller as that 4xx, not as ModelError."""

    @override
    def map_model_answer(self, answer: ModelAnswer, endpoint: Endpoint) -> None:
        if 400 <= answer.status < 500:
            edition = self.settings.edition
            raise errors.service_error(edition, "ValidationError", "CLIENT_ERROR", "model said no")
        super().map_model_answer(answer, endpoint)


@mutant("model-error.container-500")
class Container500IsInternalFailure(Pipeline):
    """A container's 500 becomes InternalFailure (500)."""

    @override
    def map_model_answer(self, answer: ModelAnswer, endpoint: Endpoint) -> None:
        if answer.status == 500:
            raise errors.service_error(
                self.settings.edition, "InternalFailure", "INTERNAL_FAILURE", "model failed"
            )
        super().map_model_answer(answer, endpoint)


@mutant("model-error.container-500")
class ModelErrorMisnamed(Pipeline):
    """ModelError goes out named ModelException."""

    @override
    def model_error(self, answer: ModelAnswer, endpoint: Endpoint) -> errors.Refusal:
        refusal = super().model_error(answer, endpoint)
        refusal.error_type = "ModelException"
        return refusal


@mutant("model-error.original-members", edition="current")
class OriginalStatusCodeIsTheCallers(Pipeline):
    """ModelError's OriginalStatusCode is the status the caller gets (424), not the container's."""

    @override
    def model_error(self, answer: ModelAnswer, endpoint: Endpoint) -> errors.Refusal:
        refusal = super().model_error(answer, endpoint)
        refusal.body["OriginalStatusCode"] = refusal.status
        return refusal


@mutant("model-error.slow-model-not-cut-off", edition="current")
class ModelTimeLimitTwoSeconds(Pipeline):
    """A model is cut off after 2 s instead of 60 s."""

    @override
    def model_time_limit(self) -> float:
        return 2.0


@mutant("observed.model-error-message")
class ModelErrorMessageAlwaysServer(Pipeline):
    """ModelError's message says 'server error' for a container's 4xx too."""

    @override
    def model_error(self, answer: ModelAnswer, endpoint: Endpoint) -> errors.Refusal:
        refusal = super().model_error(answer, endpoint)
        refusal.body["Message"] = refusal.body["Message"].replace(
            "Received client error", "Received server error"
        )
        return refusal


# ---- errors in general ---------------------------------------------------------------------------


@mutant("errors.status-of-name")
class ValidationErrorWithStatus422(Pipeline):
    """ValidationError goes out with status 422."""

    @override
    def refusal_answer(self, refusal: errors.Refusal) -> Answer:
        if refusal.error_type == "ValidationError":
            refusal.status = 422
        return super().refusal_answer(refusal)


@mutant("observed.error-body-keys")
class ErrorBodyUsesLowerCaseMessage(Pipeline):
    """SageMaker's own errors carry {"message": ...} without ErrorCode."""

    @override
    def refusal_answer(self, refusal: errors.Refusal) -> Answer:
        if "ErrorCode" in refusal.body:
            members = {k: v for k, v in refusal.body.items() if k not in ("ErrorCode", "Message")}
            refusal.body = {"message": refusal.body["Message"], **members}
        return super().refusal_answer(refusal)


@mutant("sdk.modelled-errors")
class ErrorTypeHeaderMissing(Pipeline):
    """Errors carry no x-amzn-ErrorType, so the SDK cannot name them."""

    @override
    def refusal_answer(self, refusal: errors.Refusal) -> Answer:
        answer = super().refusal_answer(refusal)
        headers = {k: v for k, v in answer.headers.items() if k.lower() != "x-amzn-errortype"}
        return replace(answer, headers=headers)


# ---- operation -----------------------------------------------------------------------------------


@mutant("operation.method")
class AnyMethodInvokes(Pipeline):
    """GET, PUT, PATCH and DELETE are treated as invocations."""

    @override
    def route(self, method: str, raw_target: str) -> str:
        return super().route(self.settings.edition.method, raw_target)


@mutant("operation.path")
class TrailingSegmentsIgnored(Pipeline):
    """Anything after /invocations is ignored, so /invocations/extra invokes."""

    @override
    def route(self, method: str, raw_target: str) -> str:
        segments = raw_target.partition("?")[0].split("/")
        return super().route(method, "/".join(segments[:4]))


# ---- auth ----------------------------------------------------------------------------------------


@mutant("auth.unsigned", enforce_auth=True)
class UnsignedRequestsAccepted(Pipeline):
    """A request with no Authorization header is let through."""

    @override
    def check_authorization(self, headers: Mapping[str, str]) -> auth.SignedRequest | None:
        return super().check_authorization(headers) if "Authorization" in headers else None


@mutant("auth.bad-signature", enforce_auth=True)
class SignatureNeverVerified(Pipeline):
    """The signature is parsed but never compared."""

    @override
    def verify_signature(
        self,
        signed: auth.SignedRequest,
        method: str,
        raw_target: str,
        headers: Mapping[str, str],
        body: bytes | bytearray,
    ) -> None:
        return None


@mutant("auth.wrong-service", enforce_auth=True)
class CredentialScopeServiceIgnored(Pipeline):
    """A request signed for another service is verified with that service and accepted."""

    @override
    def check_authorization(self, headers: Mapping[str, str]) -> auth.SignedRequest | None:
        scope = headers.get("Authorization", "").split("Credential=", 1)[-1].split(",")[0].split("/")
        service = scope[3] if len(scope) > 3 else self.settings.edition.signing_name
        return auth.check_authorization(headers, self.settings.config.credentials, service)


@mutant("observed.auth-unsigned", enforce_auth=True)
class UnsignedRefusedWith400(Pipeline):
    """An unsigned request is refused with 400 instead of AWS's 403 (the doc's Common Errors allow 400)."""

    @override
    def check_authorization(self, headers: Mapping[str, str]) -> auth.SignedRequest | None:
        if "Authorization" not in headers:
            raise errors.plain_error(400, "Missing Authentication Token", name="MissingAuthenticationToken")
        return super().check_authorization(headers)


# ---- routing (current edition) -------------------------------------------------------------------


class _RoutingHeaderIgnored(Pipeline):
    """The routing checks never see the `ignored` header."""

    ignored: str

    @override
    def check_routing_headers(self, headers: Mapping[str, str], endpoint: Endpoint) -> str | None:
        kept = {name: value for name, value in headers.items() if name.lower() != self.ignored.lower()}
        return super().check_routing_headers(kept, endpoint)


@mutant("routing.target-model-refused", edition="current")
class TargetModelHeaderIgnored(_RoutingHeaderIgnored):
    """X-Amzn-SageMaker-Target-Model on a single-model endpoint is ignored instead of refused."""

    ignored = "X-Amzn-SageMaker-Target-Model"


@mutant("routing.target-variant-other-refused", edition="current")
class UnknownTargetVariantFallsBack(_RoutingHeaderIgnored):
    """A Target-Variant naming no variant falls back to weighted routing instead of being refused."""

    ignored = "X-Amzn-SageMaker-Target-Variant"


# ---- the probe and concurrency -------------------------------------------------------------------


@mutant("probe.directive-syntax")
class DirectivesNotPercentDecoded(Pipeline):
    """Directive values are used without percent-decoding."""

    @override
    def probe_directives(self, attributes: str | None) -> probe.Directives:
        # With every '%' escaped, the probe's decoding gives the raw text back.
        return super().probe_directives(attributes and attributes.replace("%", "%25"))


@mutant("probe.delay")
class DelayDirectiveIgnored(Pipeline):
    """probe-delay-ms is parsed but the probe answers at once."""

    @override
    def probe_answer(self, body: bytes | bytearray, headers: Mapping[str, str]) -> probe.ProbeAnswer:
        return replace(super().probe_answer(body, headers), delay=0.0)


@mutant("concurrency.integrity")
class AnswersMixedUpUnderLoad(Pipeline):
    """The model's answer is kept in one shared slot, so concurrent requests read each other's."""

    slot: ModelAnswer

    @override
    async def call_model(
        self, variant: Variant, headers: Mapping[str, str], body: bytes | bytearray
    ) -> ModelAnswer:
        self.slot = await super().call_model(variant, headers, body)
        await asyncio.sleep(0.01)
        return self.slot


# ---- samples -------------------------------------------------------------------------------------


@mutant("observed.auth-bad-signature", enforce_auth=True)
class BadSignatureDetailWithoutStringToSign(Pipeline):
    """The bad-signature refusal adds AWS's canonical-string detail but leaves out the string-to-sign."""

    @override
    def verify_signature(
        self,
        signed: auth.SignedRequest,
        method: str,
        raw_target: str,
        headers: Mapping[str, str],
        body: bytes | bytearray,
    ) -> None:
        try:
            super().verify_signature(signed, method, raw_target, headers, body)
        except errors.Refusal as refusal:
            canonical = f"{method}\n{raw_target}\n\nhost:{headers.get('Host', '')}"
            refusal.body["message"] += (
                f"\n\nThe Canonical String for this request should have been\n'{canonical}'"
            )
            raise


# ---- protocol and audit --------------------------------------------------------------------------
# headers.control-characters (RFC 9110 5.5) and the clauses the audit against each clause's source
# loosened or tightened: each bug is wrong under the clause's new reading.


@mutant("headers.control-characters", edition="current")
class MalformedHeaderIsInternalFailure(Pipeline):
    """A request whose header the HTTP parser cannot take (a NUL or a bare CR inside a value) is
    answered 500 InternalFailure, as a crash, instead of being refused."""

    @override
    def malformed_request(self, status: int) -> errors.Refusal:
        text = "An internal failure occurred."
        return errors.service_error(self.settings.edition, "InternalFailure", "INTERNAL_FAILURE", text)


@mutant("name.empty")
class EmptyNameCrashes(Pipeline):
    """The name's first character is checked by indexing, so an empty name crashes the handler (500)."""

    @override
    def check_endpoint_name(self, name: str) -> None:
        if not name[0].isalnum():
            raise errors.service_error(
                self.settings.edition, "ValidationError", "VALIDATION_ERROR", "bad name"
            )
        super().check_endpoint_name(name)


@mutant("forward.accept")
class AcceptWeightsDropped(Pipeline):
    """Accept is re-written on the way to the model without its q weights: the same types, another
    preference."""

    @override
    def forward_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        forwarded = super().forward_headers(headers)
        for name, value in forwarded.items():
            if name.lower() == "accept":
                forwarded[name] = re.sub(r"[ \t]*;[ \t]*q=[0-9.]+", "", value)
        return forwarded


@mutant("observed.error-body-keys")
class ErrorCodeInCamelCase(Pipeline):
    """SageMaker's own errors carry their ErrorCode in camel case (NoSuchEndpoint, not NO_SUCH_ENDPOINT)."""

    @override
    def refusal_answer(self, refusal: errors.Refusal) -> Answer:
        code = refusal.body.get("ErrorCode")
        if isinstance(code, str):
            refusal.body["ErrorCode"] = "".join(word.capitalize() for word in code.split("_"))
        return super().refusal_answer(refusal)


# ---- constraint coverage -------------------------------------------------------------------------
# Clauses of constraints that tests/test_constraint_coverage.py found untested. The probe endpoint
# refuses every Target-Model, Target-Container-Hostname and Inference-Component with ValidationError
# (routing.*-refused), which hides a constraint check that is merely missing; the bugs below change
# the answer itself.


class _EmptyValueCrashes(Pipeline):
    """The pattern's leading \\S is checked by hand as `value[0].isspace()`, which raises IndexError
    on an empty value of `member`: the request fails with 500."""

    member: str

    @override
    def violations(self, member: specs.Member, value: str) -> list[str]:
        if member.name == self.member and value[0].isspace():
            return [f"Member must satisfy regular expression pattern: {member.pattern}"]
        return super().violations(member, value)


@mutant("inference-id.min-length", edition="current")
class EmptyInferenceIdCrashes(_EmptyValueCrashes):
    """An empty X-Amzn-SageMaker-Inference-Id crashes the hand-written pattern check (500)."""

    member = "InferenceId"


@mutant("target-model.min-length", edition="current")
class EmptyTargetModelCrashes(_EmptyValueCrashes):
    """An empty X-Amzn-SageMaker-Target-Model crashes the hand-written pattern check (500)."""

    member = "TargetModel"


def _header(
    pipeline: Pipeline, headers: Mapping[str, str], member_name: str
) -> tuple[specs.Member, str | None]:
    """A request member of the pipeline's edition, and its value in the request (None if absent)."""
    member = pipeline.settings.edition.request[member_name]
    return member, validation.header_value(headers, validation.header_name(member))


@mutant("enable-explanations.min-length", edition="current")
class EmptyExplanationsExpressionCrashes(Pipeline):
    """X-Amzn-SageMaker-Enable-Explanations is compiled as a JMESPath expression before it is
    validated, and the parser's error for an empty one escapes: the request fails with 500."""

    @override
    def check_headers(self, headers: Mapping[str, str]) -> None:
        if _header(self, headers, "EnableExplanations")[1] == "":
            raise ValueError("JMESPath: empty expression")
        super().check_headers(headers)


@mutant("prefix-aware-id.min-length", edition="current")
class EmptyPrefixAwareIdIsABadRequest(Pipeline):
    """An empty X-Amzn-SageMaker-Prefix-Aware-Id is refused by the router as a malformed routing
    hint: 400 BadRequestException, not ValidationError."""

    @override
    def check_headers(self, headers: Mapping[str, str]) -> None:
        if _header(self, headers, "PrefixAwareId")[1] == "":
            raise errors.plain_error(400, "Malformed routing hint", name="BadRequestException")
        super().check_headers(headers)


@mutant("prefix-aware-id.pattern", edition="current")
class PrefixAwareIdPatternIgnored(Pipeline):
    """The Prefix-Aware-Id's pattern is never checked (it is only a routing hint), so a tab or a
    non-ASCII character inside one reaches the model."""

    @override
    def violations(self, member: specs.Member, value: str) -> list[str]:
        unchecked = replace(member, regex=None) if member.name == "PrefixAwareId" else member
        return super().violations(unchecked, value)


@mutant("enable-explanations.pattern", edition="current")
class ExplanationsPatternReadAsPythonDotAll(Pipeline):
    """EnableExplanations' Java pattern `.*` is used as Python's `.*` under DOTALL, which matches
    line terminators: a value holding NEL reaches the model."""

    @override
    def violations(self, member: specs.Member, value: str) -> list[str]:
        loose = replace(member, regex=".*") if member.name == "EnableExplanations" else member
        return super().violations(loose, value)


@mutant("target-model.max-length", edition="current")
class TargetModelOverflowCrashes(Pipeline):
    """The model's path is built in a buffer the size of the limit, which a longer
    X-Amzn-SageMaker-Target-Model overflows: the request fails with 500."""

    @override
    def violations(self, member: specs.Member, value: str) -> list[str]:
        if member.name == "TargetModel" and len(value) > member.limit:
            raise OverflowError("model path buffer")
        return super().violations(member, value)


@mutant("target-model.pattern", edition="current")
class NonAsciiTargetModelCrashes(Pipeline):
    """X-Amzn-SageMaker-Target-Model is encoded as ASCII (for the model's S3 key) before it is
    validated, so a non-ASCII one crashes the handler (500)."""

    @override
    def violations(self, member: specs.Member, value: str) -> list[str]:
        if member.name == "TargetModel":
            value.encode("ascii")
        return super().violations(member, value)


@mutant("target-container-hostname.max-length", edition="current")
class LongContainerHostnameIs431(Pipeline):
    """A front end caps X-Amzn-SageMaker-Target-Container-Hostname at the limit and refuses a longer
    one itself: 431 Request Header Fields Too Large, not ValidationError."""

    @override
    def check_headers(self, headers: Mapping[str, str]) -> None:
        member, value = _header(self, headers, "TargetContainerHostname")
        if value is not None and len(value) > member.limit:
            raise errors.plain_error(431, "Request Header Fields Too Large")
        super().check_headers(headers)


@mutant("target-container-hostname.pattern", edition="current")
class ContainerHostnamePatternErrorMisnamed(Pipeline):
    """A malformed X-Amzn-SageMaker-Target-Container-Hostname is refused as ValidationException
    (the Smithy default name), not ValidationError."""

    @override
    def check_headers(self, headers: Mapping[str, str]) -> None:
        member, value = _header(self, headers, "TargetContainerHostname")
        if value is not None and len(value) <= member.limit and not member.matches(value):
            body = {"ErrorCode": "VALIDATION_ERROR", "Message": "Invalid container hostname"}
            raise errors.Refusal(400, body, error_type="ValidationException")
        super().check_headers(headers)


@mutant("inference-component.max-length", edition="current")
class LongInferenceComponentIsNotFound(Pipeline):
    """An X-Amzn-SageMaker-Inference-Component longer than any component's name can be is answered
    as not found, 404 ResourceNotFound, instead of ValidationError."""

    @override
    def check_headers(self, headers: Mapping[str, str]) -> None:
        member, value = _header(self, headers, "InferenceComponentName")
        if value is not None and len(value) > member.limit:
            raise errors.plain_error(404, f"Inference component {value} not found", name="ResourceNotFound")
        super().check_headers(headers)


@mutant("inference-component.pattern", edition="current")
class InferenceComponentPatternErrorUntyped(Pipeline):
    """A malformed X-Amzn-SageMaker-Inference-Component is refused with 400 but no x-amzn-ErrorType,
    so the SDKs cannot name the error."""

    @override
    def check_headers(self, headers: Mapping[str, str]) -> None:
        member, value = _header(self, headers, "InferenceComponentName")
        if value is not None and len(value) <= member.limit and not member.matches(value):
            body = {"ErrorCode": "VALIDATION_ERROR", "Message": "Invalid inference component name"}
            raise errors.Refusal(400, body)
        super().check_headers(headers)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in MUTANTS:
        print(
            f"usage: broken_emulator.py MUTANT [emulator options]; mutants: {', '.join(MUTANTS)}",
            file=sys.stderr,
        )
        return 2
    return emulator_main.main(argv[1:], pipeline=MUTANTS[argv[0]].pipeline)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
