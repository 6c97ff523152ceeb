"""Hypothesis strategies for InvokeEndpoint requests: the inputs, and the outcome each clause requires.

Each input kind lives in a module of its own; this one only gathers the public names. Every
limit and pattern comes from `specs`, so the strategies follow the edition they are asked for.
"""

from invokeendpoint_conformance.exchanges import Body, Invalid, Invocation, Outcome
from invokeendpoint_conformance.strategies.attributes import (
    custom_attributes,
    directive_header,
    directive_headers,
    invalid_custom_attributes,
    probe_statuses,
)
from invokeendpoint_conformance.strategies.bodies import bodies, oversized_bodies, typed_bodies
from invokeendpoint_conformance.strategies.invocations import invocations
from invokeendpoint_conformance.strategies.media_types import invalid_media_types, media_types
from invokeendpoint_conformance.strategies.names import (
    endpoint_names,
    invalid_endpoint_names,
    near_miss_endpoint_names,
)
from invokeendpoint_conformance.strategies.sagemaker_headers import (
    inference_ids,
    invalid_enable_explanations,
    invalid_inference_component_names,
    invalid_inference_ids,
    invalid_prefix_aware_ids,
    invalid_session_ids,
    invalid_target_container_hostnames,
    invalid_target_models,
    invalid_target_variants,
)

__all__ = [
    "Body",
    "Invalid",
    "Invocation",
    "Outcome",
    "bodies",
    "custom_attributes",
    "directive_header",
    "directive_headers",
    "endpoint_names",
    "inference_ids",
    "invalid_custom_attributes",
    "invalid_enable_explanations",
    "invalid_endpoint_names",
    "invalid_inference_component_names",
    "invalid_inference_ids",
    "invalid_prefix_aware_ids",
    "invalid_media_types",
    "invalid_session_ids",
    "invalid_target_container_hostnames",
    "invalid_target_models",
    "invalid_target_variants",
    "invocations",
    "media_types",
    "near_miss_endpoint_names",
    "oversized_bodies",
    "probe_statuses",
    "typed_bodies",
]
