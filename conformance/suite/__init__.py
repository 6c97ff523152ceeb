"""The suite's test modules, one per clause group; `pytest --pyargs conformance` collects them."""
