"""The reference InvokeEndpoint emulator: a real HTTP server, right by construction."""
