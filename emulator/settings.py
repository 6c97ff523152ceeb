"""What an emulator runs with: the edition, the configuration, auth, and its time limits.

Its own module so that both the pipeline (which decides with it) and the app
(which serves with it) can import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from invokeendpoint_conformance import specs

from .config import Config

# Our own limits on slow or silent clients (the contract sets none).
BODY_IDLE_TIMEOUT = 30.0  # seconds without a body byte before the request is dropped
BODY_TOTAL_TIMEOUT = 120.0  # seconds for a whole body, however it trickles
IDLE_CONNECTION_TIMEOUT = 75.0  # a connection with no complete request head for this long is closed
LINGER_TIME = 2.0  # after refusing a body unread, drain it this long so the client can read the refusal
MODEL_TIME_LIMIT: float = specs.contract()["model_time_limit_seconds"]


@dataclass(frozen=True)
class Settings:
    """Everything a running emulator decides with; timeouts are overridable for tests only."""

    edition: specs.Edition
    config: Config
    enforce_auth: bool = False
    model_time_limit: float = MODEL_TIME_LIMIT
    body_idle_timeout: float = BODY_IDLE_TIMEOUT
    body_total_timeout: float = BODY_TOTAL_TIMEOUT
    idle_timeout: float = IDLE_CONNECTION_TIMEOUT
    linger_time: float = LINGER_TIME
