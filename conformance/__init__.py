"""Conformance suite for the Amazon SageMaker Runtime InvokeEndpoint API."""

__version__ = "0.1.0"
