"""Never a traceback for editors: file-system errors name the path and what to do, anything unforeseen
ends in one German sentence and a log file that holds the traceback for whoever maintains the tool."""

from __future__ import annotations

import datetime
import errno
import tempfile
import traceback
from pathlib import Path
from typing import Any

import click

from rundbrief.core.os_errors import os_error_text
from rundbrief.core.text import TERMINAL_CONTROL

from .german import GermanGroup
from .project import Failure


def visible(text: str) -> str:
    """`text` safe to print: what a terminal would act on written as its code point, "<U+001B>",
    whatever the core let by."""
    return TERMINAL_CONTROL.sub(lambda match: f"<U+{ord(match.group()):04X}>", text)


def describe_os_error(error: OSError) -> str:
    """What went wrong with which path, in German."""
    # a failed copy names its source first and the file it could not write second
    path = error.filename2 or error.filename
    return os_error_text(error.errno, None if path is None else str(path))


def log_traceback() -> Path:
    """Writes the current exception's traceback into a new file in the temporary folder, which is
    writable where the project folder may not be."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", prefix=f"rundbrief-fehler-{stamp}-", suffix=".log",
                                     delete=False) as file:
        traceback.print_exc(file=file)
    return Path(file.name)


class Command(GermanGroup):
    """The `rundbrief` group: every command's unforeseen error becomes a German `Failure`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as e:
            e.message = visible(e.message)  # type: ignore[misc]  # Final in click's stubs, a plain attribute at run time
            raise
        except (click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except OSError as e:
            if e.errno == errno.EPIPE:
                raise  # output piped into a program that stopped reading: click ends quietly
            if e.filename is None and e.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise Failure(_unforeseen()) from None  # not about a file: a socket, a child process
            raise Failure(describe_os_error(e)) from None
        except Exception:
            raise Failure(_unforeseen()) from None


def _unforeseen() -> str:
    return (f"Ein unerwarteter Fehler ist aufgetreten, der nicht an den Inhalten liegt. Die Einzelheiten stehen "
            f"in {log_traceback()}; bitte diese Datei an die technische Betreuung der Website schicken.")
