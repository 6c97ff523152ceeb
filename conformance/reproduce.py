"""A `curl` command that replays an exchange, with no secret in it.

Credentials come from the environment of whoever replays it (`$AWS_*`),
and curl signs the request itself with `--aws-sigv4`, so the command never
carries a key, a token or a signature.
"""

from __future__ import annotations

import shlex

from .wire import SECRET_HEADERS, Exchange

SIGNATURE_HEADERS = SECRET_HEADERS | {"x-amz-date", "x-amz-content-sha256"}
INLINE_BODY_LIMIT = 4096


def _bash_quote(data: bytes) -> str:
    """A $'...' literal for any bytes; plain quoting where the text is printable."""
    if all(0x20 <= b < 0x7F for b in data):
        return shlex.quote(data.decode("ascii"))
    return (
        "$'"
        + "".join(chr(b) if 0x20 <= b < 0x7F and chr(b) not in "'\\" else f"\\x{b:02x}" for b in data)
        + "'"
    )


def curl_command(exchange: Exchange, *, region: str, signed: bool = True, service: str = "sagemaker") -> str:
    invocation = exchange.invocation
    parts = ["curl", "-sS", "-i", "-X", invocation.method, shlex.quote(exchange.url)]
    if signed:
        parts += [
            "--aws-sigv4",
            shlex.quote(f"aws:amz:{region}:{service}"),
            "--user",
            '"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"',
        ]
    for name, value in exchange.sent_headers:
        if name.lower() in SIGNATURE_HEADERS:
            continue
        parts += ["-H", _bash_quote(f"{name}: {value}".encode())]
    body = bytes(invocation.body)
    if len(body) <= INLINE_BODY_LIMIT:
        parts += ["--data-binary", _bash_quote(body)]
    else:
        parts += [
            "--data-binary",
            f"@<(head -c {len(body)} /dev/zero)",
            f"# the real body: {len(body)} bytes (see the report's evidence for its sha256)",
        ]
    return " ".join(parts)
