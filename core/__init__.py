"""Conformance suite for the Amazon SageMaker Runtime InvokeEndpoint API, with a reference emulator.

The one import name this distribution installs. The repository's top-level folders are its
subpackages (pyproject.toml's package-dir): `specs` (the API as data), `exchanges` here (the
request/response model), `strategies`, `conformance` (the suite and its pytest plugin) and
`emulator`. docs/architecture.md shows how they layer.
"""

__version__ = "0.1.0"
