"""A `curl` command that replays an exchange as it was sent, with no secret in it.

curl signs the request itself with `--aws-sigv4`, with the credentials of
whoever replays it (`$AWS_*`), so the command never carries a key, a token or
a signature. It sends the same headers and nothing else (curl's own defaults
are switched off), the same body, and signs the way the suite did: unsigned,
for another service, or with an unknown key where the test did so on purpose.
It needs curl 8.3 or later: earlier versions also sign the headers a command
removes (curl/curl#11664).

A large body is sent from a file saved under its sha256 in BODY_FOLDER, a
path of this machine; a report copies the files its commands name into its
own REPORT_BODY_FOLDER and names them relative to itself, so that the
commands it publishes replay on any machine.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import tempfile
from pathlib import Path

from invokeendpoint_conformance.exchanges import SECRET_HEADERS, Exchange

SIGNATURE_HEADERS = SECRET_HEADERS | {"x-amz-date", "x-amz-content-sha256"}
INLINE_BODY_LIMIT = 4096
# Headers curl adds by itself unless told not to (-H 'Name:' removes one).
CURL_DEFAULTS = ("Accept", "Content-Type", "User-Agent", "Expect")
BODY_FOLDER = Path(tempfile.gettempdir()) / "conformance-bodies"
# Where a report directory keeps the bodies its commands send, relative to itself.
REPORT_BODY_FOLDER = "bodies"
# A command's argument naming a saved body: shlex leaves it unquoted where BODY_FOLDER needs no quotes.
_SAVED_BODY_ARGUMENT = re.compile("@" + re.escape(f"{BODY_FOLDER}{os.sep}") + r"([0-9a-f]{64}\.bin)")


def _bash_quote(data: bytes) -> str:
    """A $'...' literal for any bytes; plain quoting where the text is printable."""
    if all(0x20 <= b < 0x7F for b in data):
        return shlex.quote(data.decode("ascii"))
    escaped = "".join(chr(b) if 0x20 <= b < 0x7F and chr(b) not in "'\\" else f"\\x{b:02x}" for b in data)
    return f"$'{escaped}'"


def saved_body(body: bytes) -> Path:
    """A large body, written once under its sha256 so that the command can send it again."""
    BODY_FOLDER.mkdir(exist_ok=True)
    path = BODY_FOLDER / f"{hashlib.sha256(body).hexdigest()}.bin"
    if not path.exists():
        path.write_bytes(body)
    return path


def report_relative(text: str) -> tuple[str, list[Path]]:
    """The text with each saved body a command sends named under REPORT_BODY_FOLDER; the files to copy there.

    A body no longer saved keeps its absolute name: a relative one would name nothing.
    """
    named: list[Path] = []

    def relative(argument: re.Match[str]) -> str:
        saved = BODY_FOLDER / argument[1]
        if not saved.is_file():
            return argument[0]
        named.append(saved)
        return f"@{REPORT_BODY_FOLDER}/{argument[1]}"

    return _SAVED_BODY_ARGUMENT.sub(relative, text), named


def _signing(exchange: Exchange, region: str, default_access_key: str | None) -> list[str]:
    signer = exchange.signer
    if signer is None:
        return []
    user = '"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"'
    if signer.credentials.access_key != default_access_key:  # a key the test made up on purpose
        user = shlex.quote(f"{signer.credentials.access_key}:any-secret-this-key-is-unknown")
    return ["--aws-sigv4", shlex.quote(f"aws:amz:{signer.region or region}:{signer.service}"), "--user", user]


def curl_command(exchange: Exchange, *, region: str, default_access_key: str | None = None) -> str:
    invocation = exchange.invocation
    parts = ["curl", "-sS", "-i", "-X", invocation.method, shlex.quote(exchange.url)]
    parts += _signing(exchange, region, default_access_key)
    sent = [(n, v) for n, v in exchange.sent_headers if n.lower() not in SIGNATURE_HEADERS]
    for name, value in sent:
        parts += ["-H", _bash_quote(f"{name}: {value}".encode())]
    named = {n.lower() for n, _ in sent}
    parts += [f"-H '{default}:'" for default in CURL_DEFAULTS if default.lower() not in named]
    body = bytes(invocation.body)
    if len(body) <= INLINE_BODY_LIMIT:
        parts += ["--data-binary", _bash_quote(body)]
    else:
        parts += ["--data-binary", shlex.quote(f"@{saved_body(body)}")]
    command = " ".join(parts)
    if exchange.tampered:
        command += "  # the suite then altered the signature; curl's own signature is valid"
    return command
