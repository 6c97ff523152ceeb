"""Bad arguments are refused when the strategy is made, with a message that repeats the bad value."""

import re

import pytest
from hypothesis.errors import InvalidArgument

from invokeendpoint_conformance import strategies as s

# (strategy, keyword arguments, text the message must contain)
CASES = [
    (
        s.endpoint_names,
        {"max_size": 70},
        "max_size=70, but EndpointName allows at most 63 in edition 'original'",
    ),
    (s.endpoint_names, {"min_size": 0}, "min_size=0"),
    (s.endpoint_names, {"min_size": 10, "max_size": 5}, "min_size=10"),
    (s.endpoint_names, {"min_size": "1"}, "min_size='1'"),
    (s.endpoint_names, {"edition": "latest"}, "edition='latest'"),
    (s.endpoint_names, {"prefix": "-abc"}, "prefix='-abc'"),
    (s.endpoint_names, {"prefix": "model_"}, "prefix='model_'"),
    (s.endpoint_names, {"prefix": "a" * 63}, "prefix='" + "a" * 63 + "'"),
    (s.endpoint_names, {"prefix": "abc", "max_size": 3}, "prefix='abc'"),
    (s.invalid_endpoint_names, {"edition": None}, "edition=None"),
    (s.media_types, {"member": "Body"}, "member='Body'"),
    (
        s.media_types,
        {"max_size": 1025},
        "max_size=1025, but ContentType allows at most 1024 in edition 'original'",
    ),
    (s.media_types, {"member": "Accept", "max_size": 1025}, "max_size=1025, but Accept allows at most 1024"),
    (s.media_types, {"max_size": 2}, "max_size=2"),
    (s.invalid_media_types, {"member": "CustomAttributes"}, "member='CustomAttributes'"),
    (
        s.bodies,
        {"max_size": 5242881},
        "max_size=5242881, but Body allows at most 5242880 in edition 'original'",
    ),
    (
        s.bodies,
        {"edition": "current", "max_size": 6291457},
        "max_size=6291457, but Body allows at most 6291456",
    ),
    (s.bodies, {"min_size": -1}, "min_size=-1"),
    (s.bodies, {"max_size": 1.5}, "max_size=1.5"),
    (s.oversized_bodies, {"edition": "2017"}, "edition='2017'"),
    (s.typed_bodies, {"edition": "2017"}, "edition='2017'"),
    (s.custom_attributes, {"max_size": 1025}, "max_size=1025, but CustomAttributes allows at most 1024"),
    (s.invalid_custom_attributes, {"edition": "original"}, "edition='original'"),
    (s.probe_statuses, {"kind": "redirect"}, "kind='redirect'"),
    (s.inference_ids, {"edition": "original"}, "edition='original'"),
    (s.inference_ids, {"max_size": 65}, "max_size=65, but InferenceId allows at most 64"),
    (s.inference_ids, {"min_size": 0}, "min_size=0"),
    (s.invalid_inference_ids, {"edition": "original"}, "edition='original'"),
    (s.invalid_target_variants, {"edition": "original"}, "edition='original'"),
    (s.invalid_session_ids, {"edition": "original"}, "edition='original'"),
    (s.invalid_enable_explanations, {"edition": "original"}, "edition='original'"),
    (s.invalid_prefix_aware_ids, {"edition": "original"}, "edition='original'"),
    (s.invalid_target_models, {"edition": "original"}, "edition='original'"),
    (s.invalid_target_container_hostnames, {"edition": "original"}, "edition='original'"),
    (s.invalid_inference_component_names, {"edition": "original"}, "edition='original'"),
    (s.invalid_target_models, {"clause": "target-variant.pattern"}, "clause='target-variant.pattern'"),
    (s.invalid_endpoint_names, {"clause": "body.max-length"}, "clause='body.max-length'"),
    (s.invalid_media_types, {"clause": "content-type.ascii"}, "clause='content-type.ascii'"),
    (
        s.invalid_media_types,
        {"member": "Accept", "clause": "content-type.ascii"},
        "clause='content-type.ascii'",
    ),
    (s.oversized_bodies, {"clause": "name.empty"}, "clause='name.empty'"),
    (s.invocations, {"probe_endpoint": "bad_name"}, "probe_endpoint='bad_name'"),
    (s.invocations, {"probe_endpoint": "p" * 64}, "probe_endpoint='" + "p" * 64 + "'"),
    (s.invocations, {"valid": "yes"}, "valid='yes'"),
    (s.invocations, {"edition": "newest"}, "edition='newest'"),
]

DIRECTIVE_CASES = [
    ({"probe-status": 600}, "probe-status=600"),
    ({"probe-status": "2OO"}, "probe-status='2OO'"),
    ({"probe-status": True}, "probe-status=True"),
    ({"probe-delay-ms": -1}, "probe-delay-ms=-1"),
    ({"probe-echo": "body"}, "probe-echo='body'"),
    ({"probe-content-type": 5}, "probe-content-type=5"),
    ({"probe-bogus": "1"}, "'probe-bogus'"),
    ({"status": 500}, "'status'"),
    ({"probe-content-type": "é" * 200}, "take 1219 characters"),
]


@pytest.mark.parametrize(
    ("strategy", "kwargs", "message"), CASES, ids=[f"{c[0].__name__}-{c[1]}" for c in CASES]
)
def test_bad_arguments_are_refused_at_once(strategy, kwargs, message):
    with pytest.raises(InvalidArgument, match=re.escape(message)):
        strategy(**kwargs)


@pytest.mark.parametrize(
    ("directives", "message"), DIRECTIVE_CASES, ids=[str(c[0])[:40] for c in DIRECTIVE_CASES]
)
def test_bad_directives_are_refused_at_once(directives, message):
    with pytest.raises(InvalidArgument, match=re.escape(message)):
        s.directive_headers(directives)


def test_directive_header_refuses_what_directive_headers_refuses():
    with pytest.raises(InvalidArgument, match=re.escape("probe-status=100")):
        s.directive_header(probe_status=100)


def test_an_unknown_clause_cannot_tag_a_value():
    with pytest.raises(ValueError, match="no-such.clause"):
        s.Invalid("x", "no-such.clause", "made up")
