"""The suite's pytest plugin (options, target fixture, markers). Filled in by the suite issue."""
