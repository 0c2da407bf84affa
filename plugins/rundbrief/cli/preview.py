"""`rundbrief serve`: MkDocs' live server, answering every page with a German error page while the
content is broken. MkDocs' own `serve` lets requests wait until a build succeeds, which looks like a
hanging browser to an editor; here a failed build is a finished build whose result is the error page,
so the page's livereload script reloads it as soon as the next build succeeds."""

from __future__ import annotations

import errno
import gc
import html
import ipaddress
import logging
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer
from watchdog.events import (FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                             FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from rundbrief.adapter.errors import ProblemsError
from rundbrief.adapter.speed import available
from rundbrief.adapter.speed.incremental import Incremental, written_later
from rundbrief.adapter.site.plugin import SitePlugin
from rundbrief.core.os_errors import error_name

from .build import Progress, logging_to
from .errors import describe_os_error, log_traceback, visible
from .project import Failure, open_workspace


class PreviewServer(LiveReloadServer):
    """Serves `error_page` for every path while it is set; MkDocs' live reload keeps working on it.
    A build's pages are served as soon as they are written; a request for the search index, a feed,
    a LinkedIn text or a card waits until those are written too (`write_later`)."""

    error_page: bytes | None = None  # set by the builder when a build fails
    writing: threading.Thread | None = None  # writes the outputs of the last build that come after its pages
    routes: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes] | None] | None = None  # `rundbrief edit`'s

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.hosts = _hosts(options["host"], options["port"])  # the Host headers it answers
        self.notifying = _notifying()  # told of a save in a folder; None: every watch is polled
        self.notified: list[str] = []  # the folders it watches
        if self.notifying is not None:  # told at once, so the rest of a save follows within milliseconds
            self.build_delay = 0.05  # MkDocs waits 0.1 s for the last of a burst of changes

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """A folder is watched through the system's notifications (inotify, FSEvents,
        ReadDirectoryChangesW), which tell of a save at once; MkDocs asks every file every half second,
        which made a quarter second of every save's wait. A single file (mkdocs.yml) is still asked:
        editors save it by replacing it, and a notification ends with the file it was for."""
        path = os.path.abspath(path)
        if self.notifying is None or not os.path.isdir(path) or path in self.notified:
            super().watch(path, func, recursive=recursive)
            return
        handler = FileSystemEventHandler()
        handler.on_any_event = self._changed  # type: ignore[method-assign]
        # Only writes: the build itself reads every file of these folders
        self.notifying.schedule(handler, path, recursive=recursive, event_filter=[
            FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent])
        self.notified.append(path)

    def _changed(self, event: FileSystemEvent) -> None:
        with self._rebuild_cond:  # as MkDocs' own watches do
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def serve(self, *, open_in_browser: bool = False) -> None:
        if self.notifying is not None:
            try:
                self.notifying.start()
            except OSError:  # no notification left for this user (fs.inotify.max_user_watches): asked instead
                self.notifying.unschedule_all()
                self.notifying = None
                for path in self.notified:
                    super().watch(path)
        super().serve(open_in_browser=open_in_browser)

    def shutdown(self, wait: bool = False) -> None:
        super().shutdown(wait)
        if self.notifying is not None and self.notifying.is_alive():
            self.notifying.stop()

    def serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST", "")
        if not self._answers(host):
            # A web page that points a name of its own at this machine (DNS rebinding) would read the
            # preview, drafts included: its requests carry that name.
            return _respond(start_response, "403 Forbidden", _page(
                "Falsche Adresse für die Vorschau",
                f"<p>Die Vorschau antwortet nicht unter „{html.escape(host)}“. Erlaubt ist ihre eigene Adresse: "
                f'<a href="{html.escape(self.url)}">{html.escape(self.url)}</a>.</p>'))
        path = environ["PATH_INFO"]
        if "\0" in path:  # no file has such a name; MkDocs would fail on it with a traceback
            return _respond(start_response, "404 Not Found", _page(
                "Seite nicht gefunden",
                f"<p>Diese Adresse gibt es in der Vorschau nicht. Erlaubt sind die Adressen der Website, z. B. "
                f'<a href="{html.escape(self.url)}">{html.escape(self.url)}</a>.</p>'))
        if path.startswith("/livereload/"):
            return super().serve_request(environ, start_response)
        if self.routes and (answer := self.routes(environ, start_response)) is not None:
            return answer
        with self._epoch_cond:  # the result of the build under way, as MkDocs waits for it too
            self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            writing = self.writing
        if writing and written_later(path.removeprefix(self.mount_path)):
            writing.join()
        with self._epoch_cond:
            epoch, page = self._visible_epoch, self.error_page
        if page is None:
            return super().serve_request(environ, start_response)
        return _respond(start_response, "500 Internal Server Error", self._inject_js_into_html(page, epoch))

    def _answers(self, host: str) -> bool:
        """Whether a request's Host header names this preview. Bound to every address of the
        machine, it answers any address of it as a number: no web page can give a number another
        meaning, as it can a name."""
        host = host.lower()
        if host in self.hosts:
            return True
        name, _, port = host.rpartition(":")
        wildcard = self.server_address[0] in ("0.0.0.0", "::")
        return wildcard and port == str(self.server_address[1]) and _ip(name.strip("[]")) is not None


def _hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers of a preview on `host`:`port`, and of a preview on a loopback address also
    its other names on this machine. Port 80 may go unnamed."""
    names = {f"[{host}]" if ":" in host else host}
    if loopback(host):
        names |= {"localhost", "127.0.0.1", "[::1]"}
    hosts = {f"{name.lower()}:{port}" for name in names}
    return frozenset(hosts | ({name.lower() for name in names} if port == 80 else set()))


def loopback(host: str) -> bool:
    """Whether `host` names this machine only: "localhost" or a loopback address, bracketed or not."""
    address = _ip(host.strip("[]"))
    return host == "localhost" or (address is not None and address.is_loopback)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _respond(start_response: Callable[..., Any], status: str, content: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(content)))])
    return [content]


def _notifying() -> BaseObserver | None:
    """The system's own watcher, or None where it has none to give (no inotify instance left)."""
    try:
        return Observer()
    except OSError:
        return None


def error_page(lines: list[str]) -> bytes:
    """A page that needs nothing from the broken site: no stylesheet, no script of its own."""
    items = "\n".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return _page("Die Vorschau kann die Website nicht bauen", f"""<p>Die Inhalte enthalten {len(lines)} Fehler, jeder mit Datei und Zeile:</p>
<ul>
{items}
</ul>
<p>Öffnen Sie die genannte Datei, ändern Sie die Stelle wie in der Meldung beschrieben und speichern Sie.
Diese Seite lädt sich dann von selbst neu.</p>""", title="Fehler in den Inhalten")


def _page(heading: str, body: str, *, title: str = "") -> bytes:
    """A page of the preview's own, in German; `body` is HTML."""
    return f"""<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title or heading} – Vorschau</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1a1a1a; }}
h1 {{ color: #a40000; }}
li {{ font-family: ui-monospace, monospace; white-space: pre-wrap; margin-bottom: .5rem; }}
</style>
</head>
<body>
<main>
<h1>{heading}</h1>
{body}
</main>
</body>
</html>
""".encode()


def _not_found(site_dir: str) -> bytes:
    """The site's own German 404 page; before the first build has written it, one of the preview's."""
    try:
        return (Path(site_dir) / "404.html").read_bytes()
    except OSError:
        return _page("Seite nicht gefunden", "<p>Diese Adresse gibt es in der Vorschau (noch) nicht.</p>")


def _failure_lines(error: BaseException, logged: list[str]) -> list[str]:
    """Our problems one per line; otherwise what MkDocs logged about the failure, or the error itself."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ProblemsError):
            return [str(problem) for problem in sorted(cause.problems)]
        cause = cause.__cause__ or cause.__context__
    if isinstance(error, OSError):
        return [describe_os_error(error)]
    lines = [line.strip() for message in logged for line in message.splitlines() if line.strip()]
    return lines or [str(error)]


def serve_preview(config_file: str, dev_addr: str, routes: Callable[..., Iterable[bytes] | None] | None = None) -> None:
    """`routes` answers the requests it knows before the preview does (None: not its own)."""
    # Started with `&` from a script, the process inherits Ctrl+C ignored, and Python keeps it so.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    open_workspace(config_file)  # says clearly what is wrong with mkdocs.yml before the server starts
    site_dir = tempfile.mkdtemp(prefix="rundbrief-vorschau-")

    def get_config() -> MkDocsConfig:
        return load_config(config_file=config_file, site_dir=site_dir, dev_addr=dev_addr)

    try:
        config = get_config()
    except (MkDocsException, SystemExit):  # mkdocs.yml was fine above, so it is the address
        shutil.rmtree(site_dir, ignore_errors=True)
        raise Failure(f"„{dev_addr}“ ist keine gültige Adresse für die Vorschau. Erlaubt ist Rechner:Port, "
                      "z. B. 127.0.0.1:8000.") from None
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    server = PreviewServer(builder=lambda: None, host=host, port=port, root=site_dir, mount_path=mount_path)
    server.routes = routes
    server.error_handler = lambda code: _not_found(site_dir) if code == 404 else None
    _ensure_free(server, dev_addr)
    config.plugins.on_startup(command="serve", dirty=False)  # paired with on_shutdown below
    dirty_warning = _DirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(dirty_warning)

    incremental = Incremental()  # the site plugin's, from the first build on

    with logging_to(Progress(errors_to_terminal=False)) as progress:

        def failing(work: Callable[[], None]) -> list[str]:
            """Runs part of a build; returns what stopped it, one line each, or nothing."""
            try:
                work()
            except (MkDocsException, SystemExit, OSError) as e:
                return _failure_lines(e, progress.errors)
            except Exception:  # a fault of ours, not of the content: the log file helps to fix it
                return [f"Unerwarteter Fehler beim Bauen der Vorschau. Die Einzelheiten stehen in {log_traceback()}."]
            return []

        def failures(config: MkDocsConfig | None) -> list[str]:
            """Builds the preview's pages; returns what stopped the build, one line each, or nothing.
            What comes after the pages is left in `incremental.deferred`."""
            nonlocal incremental
            try:
                config = config or get_config()
            except (MkDocsException, SystemExit) as e:
                return [f"{config_file} ist fehlerhaft: {line}" for line in _failure_lines(e, progress.errors)]
            config.site_url = server.url  # links and feeds point into the preview
            incremental = _incremental(config)
            dirty = incremental.begin(config, defer=True)
            return failing(lambda: mkdocs_build(config, serve_url=server.url, dirty=dirty))

        def show(lines: list[str]) -> None:
            lines = [visible(line) for line in lines]
            server.error_page = error_page(lines)
            click.echo(f"Die Vorschau zeigt {len(lines)} Fehler statt der Website:", err=True)
            for line in lines:
                click.echo(f"  {line}", err=True)

        def write_later(work: Callable[[], None]) -> None:
            """The search index, the feeds, the LinkedIn texts and cards, written while the pages are
            served already. A failure here (a full disk) shows on the next page the editor opens."""
            if lines := failing(work):
                show(lines)
            # Python collects its whole heap (every page and model of the site) after so many smaller
            # collections, which a rebuild's allocations run: then, a good part of a save's wait. Done
            # here, while the editor reads, it starts the count anew, and no rebuild reaches it.
            gc.collect()

        def builder(config: MkDocsConfig | None = None) -> None:
            finish_writing()
            progress.start()
            start = time.monotonic()
            lines = failures(config)
            if lines:
                show(lines)
                return
            server.error_page = None
            seconds = f"{time.monotonic() - start:.1f}".replace(".", ",")
            built = f"{progress.built} von {progress.pages} Seiten neu gebaut" if progress.built < progress.pages \
                else f"{progress.pages} Seiten"
            click.echo(f"Vorschau fertig: {built} in {seconds} s.", err=True)
            if incremental.deferred:
                server.writing = threading.Thread(target=write_later, args=(incremental.deferred,), daemon=True)
                server.writing.start()

        def finish_writing() -> None:
            if server.writing:
                server.writing.join()

        def rebuild() -> None:
            click.echo("Änderung gespeichert, baue die Vorschau neu …", err=True)
            builder()

        server.builder = rebuild
        try:
            click.echo("Baue die Vorschau …", err=True)
            builder(config)
            server.watch(config.docs_dir)
            server.watch(config.config_file_path)
            config.plugins.on_serve(server, config=config, builder=builder)  # ours only add watched folders
            for path in config.watch:
                server.watch(path)
            click.echo(f"Vorschau auf {server.url} – beenden mit Strg+C", err=True)
            try:
                server.serve()
            except KeyboardInterrupt:
                click.echo("Vorschau beendet.", err=True)
            except OSError as e:
                if e.errno == errno.EADDRINUSE:
                    raise Failure(_busy(dev_addr)) from None
                raise
            finally:
                server.shutdown()
        finally:
            finish_writing()
            config.plugins.on_shutdown()
            logging.getLogger("mkdocs.commands.build").removeFilter(dirty_warning)
            shutil.rmtree(site_dir, ignore_errors=True)


def _incremental(config: MkDocsConfig) -> Incremental:
    """The state the site plugin keeps between the preview's builds; MkDocs keeps the plugin
    instance across configs. Without the plugin (switched off) or its speed layer, a state that never
    builds dirty."""
    plugin = config.plugins.get("rundbrief")
    if isinstance(plugin, SitePlugin) and plugin.config.enabled and available(plugin.config.speed):
        return plugin.speed.incremental
    return Incremental()


class _DirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build that links may be stale; the preview decides which pages to
    write (adapter/site/incremental.py), so the warning would be wrong, and English."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _busy(dev_addr: str) -> str:
    return (f"Die Adresse {dev_addr} ist schon belegt, wohl von einer anderen Vorschau. Diese beenden "
            f"(Strg+C in ihrem Fenster) oder eine andere Adresse wählen, z. B. "
            f"„rundbrief serve --dev-addr 127.0.0.1:8001“.")


def _ensure_free(server: LiveReloadServer, dev_addr: str) -> None:
    """Says at once that the port is taken, before a build that would be in vain."""
    with socket.socket(server.address_family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind(server.server_address)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise Failure(_busy(dev_addr)) from None
            raise Failure(f"Die Vorschau kann die Adresse {dev_addr} nicht öffnen ({error_name(e.errno)}). Erlaubt ist "
                          "eine Adresse dieses Rechners, z. B. 127.0.0.1:8000.") from None
