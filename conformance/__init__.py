"""The conformance suite: its pytest plugin and machinery here, its test modules in `suite/`."""

from invokeendpoint_conformance import __version__

__all__ = ["__version__"]
