"""Deliberately broken variants of the reference emulator, one realistic bug each.

    python tests/mutants/broken_emulator.py MUTANT [emulator options...]

starts the emulator with that one bug patched in. Each mutant names the
clause whose tests must catch it (`tests/mutants/test_mutants.py` proves they
do), the edition it needs and whether auth must be enforced. Patches wrap the
emulator's decision functions, which it looks up at call time.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass

from invokeendpoint_conformance.emulator import __main__ as emulator_main
from invokeendpoint_conformance.emulator import app, auth, errors, probe, validation


@dataclass(frozen=True)
class Mutant:
    name: str
    clause: str
    bug: str
    patch: Callable[[], None]
    edition: str = "original"
    enforce_auth: bool = False


MUTANTS: dict[str, Mutant] = {}


def mutant(clause: str, *, edition: str = "original", enforce_auth: bool = False):
    def register(patch: Callable[[], None]) -> Callable[[], None]:
        name = patch.__name__.replace("_", "-")
        MUTANTS[name] = Mutant(name, clause, patch.__doc__.strip(), patch, edition, enforce_auth)
        return patch

    return register


def _wrap(module, name: str, wrapper) -> None:
    original = getattr(module, name)
    setattr(module, name, wrapper(original))


def _limit_shift(member_name: str, shift: int) -> None:
    """The member's length limit is off by `shift` (a limit typed by hand)."""

    def wrapper(original):
        def violations(member, value):
            if member.name == member_name:
                member = type(member)(**{**member.__dict__, "max_length": member.max_length + shift})
            return original(member, value)

        return violations

    _wrap(validation, "violations", wrapper)


# ---- names ---------------------------------------------------------------------------------------


@mutant("name.pattern")
def slash_splits_the_name():
    """%2F is decoded before routing, so a name holding '/' gets 404 instead of ValidationError."""

    def wrapper(original):
        def route(method, raw_target, edition):
            name = original(method, raw_target, edition)
            if "/" in name:
                raise errors.plain_error(404, "Not Found")
            return name

        return route

    _wrap(app, "route", wrapper)


@mutant("name.pattern")
def non_ascii_name_crashes():
    """A non-ASCII name is encoded as ASCII somewhere and the handler crashes (500)."""

    def wrapper(original):
        def check(name, edition):
            name.encode("ascii")
            return original(name, edition)

        return check

    _wrap(validation, "check_endpoint_name", wrapper)


@mutant("name.case-sensitive")
def endpoint_lookup_ignores_case():
    """Endpoint names are looked up case-insensitively."""

    def wrapper(original):
        def lookup(endpoints, name, account, edition):
            folded = {key.lower(): value for key, value in endpoints.items()}
            return original(folded, name.lower(), account, edition)

        return lookup

    _wrap(app, "lookup_endpoint", wrapper)


@mutant("name.absent")
def absent_endpoint_is_404():
    """An absent endpoint answers 404 ResourceNotFound, as many REST services do."""

    def wrapper(original):
        def lookup(endpoints, name, account, edition):
            if name not in endpoints:
                raise errors.plain_error(404, f"Endpoint {name} not found", name="ResourceNotFound")
            return original(endpoints, name, account, edition)

        return lookup

    _wrap(app, "lookup_endpoint", wrapper)


@mutant("observed.endpoint-not-found-message")
def not_found_message_lower_cases_the_name():
    """The not-found message quotes the endpoint name in lower case."""

    def wrapper(original):
        def lookup(endpoints, name, account, edition):
            if name not in endpoints:
                return original(endpoints, name.lower(), account, edition)
            return original(endpoints, name, account, edition)

        return lookup

    _wrap(app, "lookup_endpoint", wrapper)


# ---- headers -------------------------------------------------------------------------------------


@mutant("content-type.max-length")
def content_type_limit_one_short():
    """Content-Type is limited to 1023 characters."""
    _limit_shift("ContentType", -1)


@mutant("accept.max-length")
def accept_limit_one_long():
    """Accept is limited to 1025 characters."""
    _limit_shift("Accept", +1)


@mutant("custom-attributes.max-length", edition="current")
def custom_attributes_limit_one_long():
    """X-Amzn-SageMaker-Custom-Attributes is limited to 1025 characters."""
    _limit_shift("CustomAttributes", +1)


@mutant("inference-id.max-length", edition="current")
def inference_id_limit_one_short():
    """X-Amzn-SageMaker-Inference-Id is limited to 63 characters."""
    _limit_shift("InferenceId", -1)


@mutant("prefix-aware-id.max-length", edition="current")
def prefix_aware_id_limit_one_long():
    """X-Amzn-SageMaker-Prefix-Aware-Id is limited to 65 characters."""
    _limit_shift("PrefixAwareId", +1)


@mutant("content-type.ascii", edition="current")
def content_type_pattern_ignored():
    """The Content-Type pattern is never checked, so non-ASCII media types reach the model."""

    def wrapper(original):
        def violations(member, value):
            if member.name == "ContentType":
                member = type(member)(**{**member.__dict__, "regex": None})
            return original(member, value)

        return violations

    _wrap(validation, "violations", wrapper)


# ---- bodies --------------------------------------------------------------------------------------


@mutant("body.max-length")
def body_limit_one_short():
    """A body of exactly the limit is refused."""
    _wrap(app, "check_body_length", lambda original: lambda length, limit: original(length, limit - 1))


@mutant("body.max-length")
def body_limit_one_long():
    """A body of the limit plus one byte is accepted."""
    _wrap(app, "check_body_length", lambda original: lambda length, limit: original(length, limit + 1))


@mutant("observed.body-too-large-413")
def oversized_body_is_a_validation_error():
    """An oversized body is refused as ValidationError (400), allowed by the doc but not what AWS sends."""

    def wrapper(original):
        def check(length, limit):
            if length is not None and length > limit:
                raise errors.Refusal(
                    400,
                    {"ErrorCode": "VALIDATION_ERROR", "Message": "Body too large"},
                    error_type="ValidationError",
                    close=True,
                )

        return check

    _wrap(app, "check_body_length", wrapper)


def _edit_body(edit) -> None:
    def wrapper(original):
        def answer(body, headers):
            return original(edit(bytes(body)), headers)

        return answer

    _wrap(probe, "answer", wrapper)


@mutant("body.passed-unchanged")
def body_is_stripped():
    """The body is read as text and stripped of surrounding white space."""
    _edit_body(lambda body: body.strip())


@mutant("body.passed-unchanged")
def body_line_endings_normalised():
    """CR LF in the body becomes LF on the way to the model."""
    _edit_body(lambda body: body.replace(b"\r\n", b"\n"))


@mutant("body.passed-unchanged")
def body_decoded_as_utf8():
    """The body goes through a UTF-8 decode with replacement."""
    _edit_body(lambda body: body.decode("utf-8", "replace").encode("utf-8"))


# ---- forwarding ----------------------------------------------------------------------------------


def _forward(edit) -> None:
    _wrap(app, "forward_headers", lambda original: lambda headers: edit(headers, original(headers)))


@mutant("forward.accept")
def accept_not_forwarded():
    """Accept is dropped on the way to the model."""
    _forward(lambda headers, forwarded: {k: v for k, v in forwarded.items() if k.lower() != "accept"})


@mutant("forward.strips-unsupported")
def every_header_forwarded():
    """Every request header reaches the model: nothing is stripped."""
    _forward(lambda headers, forwarded: {**dict(headers), **forwarded})


@mutant("forward.custom-attributes")
def custom_attributes_trimmed():
    """Custom attributes are normalised (spaces removed) on the way to the model."""
    _forward(lambda headers, forwarded: {k: v.replace(" ", "") for k, v in forwarded.items()})


@mutant("forward.content-type")
def header_names_matched_with_case():
    """Headers are looked up by their exact capitalisation, so 'content-type' is missed."""

    def forward(headers):
        return {
            name: headers[name]
            for name in ("Content-Type", "Accept", "X-Amzn-SageMaker-Custom-Attributes")
            if name in dict(headers.items())
        }

    app.forward_headers = forward


# ---- successful responses ------------------------------------------------------------------------


def _success(edit) -> None:
    _wrap(app, "success_headers", lambda original: lambda m, v, e: edit(original(m, v, e), m, v, e))


@mutant("response.invoked-variant")
def variant_header_missing():
    """x-Amzn-Invoked-Production-Variant is never sent."""
    _success(lambda h, m, v, e: {k: x for k, x in h.items() if "variant" not in k.lower()})


@mutant("response.invoked-variant")
def variant_header_names_the_endpoint():
    """x-Amzn-Invoked-Production-Variant carries a made-up variant name."""
    _success(lambda h, m, v, e: {**h, e.response["InvokedProductionVariant"].header: "variant-1"})


@mutant("response.content-type")
def content_type_is_always_json():
    """The response's Content-Type is application/json whatever the model said."""
    _success(lambda h, m, v, e: {**h, "Content-Type": "application/json"})


@mutant("response.custom-attributes", edition="current")
def model_custom_attributes_dropped():
    """The model's custom attributes never reach the caller."""
    _success(
        lambda h, m, v, e: {k: x for k, x in h.items() if k.lower() != "x-amzn-sagemaker-custom-attributes"}
    )


@mutant("observed.no-custom-attributes-when-unset")
def empty_custom_attributes_always_sent():
    """An empty X-Amzn-SageMaker-Custom-Attributes is sent when the model set none."""
    _success(lambda h, m, v, e: {"X-Amzn-SageMaker-Custom-Attributes": "", **h})


@mutant("response.container-2xx")
def container_2xx_passed_through():
    """The container's own 2xx status (201, 202, ...) is passed to the caller."""

    async def handle(self, request):
        response = await original(self, request)
        directives = probe.parse_directives(request.headers.get("X-Amzn-SageMaker-Custom-Attributes"))
        status = directives.get("probe-status", 200)
        if response.status == 200 and 200 < status < 300:
            response.set_status(status)
        return response

    original = app.Emulator.handle
    app.Emulator.handle = handle


@mutant("observed.request-id")
def no_request_id_on_errors():
    """Error answers carry no x-amzn-RequestId."""
    original = errors.Refusal.response_headers

    def response_headers(self):
        return _DropRequestId(original(self))

    errors.Refusal.response_headers = response_headers


class _DropRequestId(dict):
    def __setitem__(self, key, value):
        if key.lower() != "x-amzn-requestid":
            super().__setitem__(key, value)


# ---- model errors --------------------------------------------------------------------------------


@mutant("model-error.container-500")
def connection_dropped_on_model_error():
    """When the container answers 500, the connection is dropped with no answer at all."""
    original = app.Emulator.handle

    async def handle(self, request):
        if "probe-status=500" in request.headers.get("X-Amzn-SageMaker-Custom-Attributes", ""):
            request.transport.abort()
        return await original(self, request)

    app.Emulator.handle = handle


@mutant("model-error.container-error")
def container_4xx_passed_through():
    """A container's 4xx reaches the caller as that 4xx, not as ModelError."""

    def wrapper(original):
        def map_answer(answer, endpoint, config, edition):
            if 400 <= answer.status < 500:
                raise errors.service_error(edition, "ValidationError", "CLIENT_ERROR", "model said no")
            return original(answer, endpoint, config, edition)

        return map_answer

    _wrap(app, "map_model_answer", wrapper)


@mutant("model-error.container-500")
def container_500_is_internal_failure():
    """A container's 500 becomes InternalFailure (500)."""

    def wrapper(original):
        def map_answer(answer, endpoint, config, edition):
            if answer.status == 500:
                raise errors.service_error(edition, "InternalFailure", "INTERNAL_FAILURE", "model failed")
            return original(answer, endpoint, config, edition)

        return map_answer

    _wrap(app, "map_model_answer", wrapper)


@mutant("model-error.container-500")
def model_error_misnamed():
    """ModelError goes out named ModelException."""

    def wrapper(original):
        def model_error(edition, **fields):
            refusal = original(edition, **fields)
            refusal.error_type = "ModelException"
            return refusal

        return model_error

    _wrap(errors, "model_error", wrapper)


@mutant("model-error.original-members", edition="current")
def original_status_code_missing():
    """ModelError lacks OriginalStatusCode."""

    def wrapper(original):
        def model_error(edition, **fields):
            refusal = original(edition, **fields)
            refusal.body.pop("OriginalStatusCode", None)
            return refusal

        return model_error

    _wrap(errors, "model_error", wrapper)


@mutant("model-error.slow-model-not-cut-off", edition="current")
def model_time_limit_two_seconds():
    """A model is cut off after 2 s instead of 60 s."""
    original = app.Emulator.__init__

    def init(self, settings):
        original(self, type(settings)(**{**settings.__dict__, "model_time_limit": 2.0}))

    app.Emulator.__init__ = init


@mutant("observed.model-error-message")
def model_error_message_always_server():
    """ModelError's message says 'server error' for a container's 4xx too."""

    def wrapper(original):
        def message(key, **fields):
            if key == "model-error":
                fields["side"] = "server"
            return original(key, **fields)

        return message

    _wrap(errors, "message", wrapper)


# ---- errors in general ---------------------------------------------------------------------------


@mutant("errors.status-of-name")
def validation_error_with_status_422():
    """ValidationError goes out with status 422."""
    original = errors.service_error

    def service_error(edition, name, code, text, **members):
        refusal = original(edition, name, code, text, **members)
        if name == "ValidationError":
            refusal.status = 422
        return refusal

    errors.service_error = service_error


@mutant("observed.error-body-keys")
def error_body_uses_lower_case_message():
    """SageMaker's own errors carry {"message": ...} without ErrorCode."""
    original = errors.service_error

    def service_error(edition, name, code, text, **members):
        refusal = original(edition, name, code, text, **members)
        refusal.body = {"message": text, **members}
        return refusal

    errors.service_error = service_error


@mutant("sdk.modelled-errors")
def error_type_header_missing():
    """Errors carry no x-amzn-ErrorType, so the SDK cannot name them."""
    original = errors.Refusal.response_headers

    def response_headers(self):
        return {k: v for k, v in original(self).items() if k.lower() != "x-amzn-errortype"}

    errors.Refusal.response_headers = response_headers


# ---- operation -----------------------------------------------------------------------------------


@mutant("operation.method")
def any_method_invokes():
    """GET, PUT, PATCH and DELETE are treated as invocations."""
    _wrap(app, "route", lambda original: lambda method, target, edition: original("POST", target, edition))


@mutant("operation.path")
def trailing_segments_ignored():
    """Anything after /invocations is ignored, so /invocations/extra invokes."""

    def wrapper(original):
        def route(method, raw_target, edition):
            path, _, query = raw_target.partition("?")
            parts = path.split("/")
            return original(method, "/".join(parts[:4]), edition)

        return route

    _wrap(app, "route", wrapper)


# ---- auth ----------------------------------------------------------------------------------------


@mutant("auth.unsigned", enforce_auth=True)
def unsigned_requests_accepted():
    """A request with no Authorization header is let through."""

    def wrapper(original):
        def check(headers, credentials, service):
            if "Authorization" not in headers:
                return None
            return original(headers, credentials, service)

        return check

    _wrap(auth, "check_authorization", wrapper)


@mutant("auth.bad-signature", enforce_auth=True)
def signature_never_verified():
    """The signature is parsed but never compared."""
    auth.verify_signature = lambda *args, **kwargs: None


@mutant("auth.wrong-service", enforce_auth=True)
def credential_scope_service_ignored():
    """A request signed for another service is verified with that service and accepted."""

    def wrapper(original):
        def check(headers, credentials, service):
            scope = headers.get("Authorization", "").split("Credential=", 1)[-1].split(",")[0].split("/")
            return original(headers, credentials, scope[3] if len(scope) > 3 else service)

        return check

    _wrap(auth, "check_authorization", wrapper)


@mutant("auth.unsigned", enforce_auth=True)
def unsigned_refused_with_400():
    """An unsigned request is refused with 400 instead of 403."""

    def wrapper(original):
        def check(headers, credentials, service):
            if "Authorization" not in headers:
                raise errors.plain_error(
                    400, "Missing Authentication Token", name="MissingAuthenticationToken"
                )
            return original(headers, credentials, service)

        return check

    _wrap(auth, "check_authorization", wrapper)


# ---- routing (current edition) -------------------------------------------------------------------


@mutant("routing.target-model-refused", edition="current")
def target_model_header_ignored():
    """X-Amzn-SageMaker-Target-Model on a single-model endpoint is ignored instead of refused."""

    def wrapper(original):
        def check(headers, endpoint, edition):
            kept = {k: v for k, v in headers.items() if k.lower() != "x-amzn-sagemaker-target-model"}
            return original(kept, endpoint, edition)

        return check

    _wrap(app, "check_routing_headers", wrapper)


@mutant("routing.target-variant-other-refused", edition="current")
def unknown_target_variant_falls_back():
    """A Target-Variant naming no variant falls back to weighted routing instead of being refused."""

    def wrapper(original):
        def check(headers, endpoint, edition):
            kept = {k: v for k, v in headers.items() if k.lower() != "x-amzn-sagemaker-target-variant"}
            return original(kept, endpoint, edition)

        return check

    _wrap(app, "check_routing_headers", wrapper)


# ---- the probe and concurrency -------------------------------------------------------------------


@mutant("probe.directive-syntax")
def directives_not_percent_decoded():
    """Directive values are used without percent-decoding."""
    probe.unquote = lambda value, errors="strict": value


@mutant("probe.delay")
def delay_directive_ignored():
    """probe-delay-ms is parsed but the probe answers at once."""
    _wrap(probe, "answer", lambda original: lambda body, headers: _no_delay(original(body, headers)))


def _no_delay(answer):
    return type(answer)(answer.status, answer.headers, answer.body, 0.0, answer.directives)


@mutant("concurrency.integrity")
def answers_mixed_up_under_load():
    """The model's answer is kept in one shared slot, so concurrent requests read each other's."""
    shared = {}
    original = app.Emulator.call_model

    async def call_model(self, variant, headers, body):
        answer = await original(self, variant, headers, body)
        shared["answer"] = answer
        await asyncio.sleep(0.01)
        return shared["answer"]

    app.Emulator.call_model = call_model


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in MUTANTS:
        print(
            f"usage: broken_emulator.py MUTANT [emulator options]; mutants: {', '.join(MUTANTS)}",
            file=sys.stderr,
        )
        return 2
    MUTANTS[argv[0]].patch()
    return emulator_main.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
