"""Site search with Pagefind: each page is handed to Pagefind's indexer as MkDocs writes it, so that
the indexer parses and indexes on the second core while MkDocs renders the rest; the index and
Pagefind's script are written into the site at the end. Readers search at /suche/ (search.html), in
their browser, loading only the parts of the index their words need.

A build whose pages are those of the last index (a warm build of unchanged content) reuses that index
from the project's cache instead of indexing again: Pagefind's work is most of a warm build's second core.

Rundbrief talks to the indexer (`pagefind --service`, from the `pagefind[extended]` package, whose
extended binary stems German) through its pipe protocol itself: the package's asyncio client reads
one reply per tenth of a second, which would add four minutes to a build of 2,500 pages."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from pagefind.service import get_executable

from rundbrief.core import paths
from rundbrief.core.cached_files import signature, signed_by_us

from ..writer import OUTPUTS_NICE, failure_reason

SIGNATURE = ".signature"  # in a kept index: this machine's signature of its files, which readers' browsers run
BODY = "data-pagefind-body"  # marks the searchable part of a page, in the templates of searchable pages

# Pagefind's options (https://pagefind.app/docs/config-options/). The language comes from each page's
# <html lang>: German pages are stemmed, so "Familien" finds "Familie".
OPTIONS = {
    "exclude_selectors": [".headerlink"],  # the "¶" of heading permalinks is no word
}


INSTALL = "Pagefind gehört zu Rundbrief und kommt mit „pip install 'pagefind[extended]'“ dazu."
ENDED = f"Pagefind, das Programm für die Suche, ist unerwartet beendet worden oder antwortet unverständlich. {INSTALL}"


def searchable(html: str, meta: Mapping[str, Any], draft: bool) -> bool:
    """Whether a page belongs in the public site's search: its template marks a searchable part,
    and it is no draft, nor hidden from search engines (LinkedIn copy pages), nor excluded by its
    generated page's meta (`search: {exclude: true}`, Material's convention; no key of editors)."""
    search = meta.get("search")
    return (
        BODY in html
        and not draft
        and "noindex" not in str(meta.get("robots", ""))
        and not (isinstance(search, Mapping) and search.get("exclude"))
    )


def _main(html: str) -> str:
    """The page with only its `<main>`, which holds every part marked for the index: Pagefind reads
    nothing else but the language, and parsing the header, navigation and footer of every page
    was most of its work."""
    start, end = html.find("<main"), html.rfind("</main>")
    head = html.find("<head")
    if -1 in (start, end, head):
        return html
    return f"{html[:head]}<body>{html[start:end]}</main></body></html>"


def _indexer() -> list[object]:
    """The indexer by its file: another version indexes anew."""
    binary = get_executable()
    try:
        stat = binary.stat() if binary else None
    except OSError:  # gone: starting it says so
        stat = None
    return [str(binary), stat and stat.st_size, stat and stat.st_mtime_ns]


def _write_tree(files: dict[str, bytes], folder: Path) -> None:
    for path, content in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _listing(files: dict[str, bytes]) -> bytes:
    """What the signature of an index covers: each file by its path and content."""
    return json.dumps(sorted((path, hashlib.sha256(content).hexdigest()) for path, content in files.items())).encode()


def _signed_files(folder: Path) -> dict[str, bytes] | None:
    """The files of a kept index, if a build on this machine kept it: a cache restored from elsewhere
    could put any script there, which would go into the site. Read once, and written into the site
    from memory: a copy of what was verified, never a link into the cache."""
    try:
        files = {file.relative_to(folder).as_posix(): file.read_bytes() for file in folder.rglob("*")
                 if file.is_file() and file.name != SIGNATURE}
        if signed_by_us((folder / SIGNATURE).read_bytes(), _listing(files)):
            return files
    except OSError:  # incomplete, or replaced meanwhile: indexed anew
        pass
    return None


class SearchIndex:
    """One build's index, in a running Pagefind indexer. `add` hands over pages without waiting:
    one thread writes them into the indexer's input as fast as it reads, another reads its replies,
    so that its output pipe never fills and blocks it."""

    def __init__(self, cache: Path | None = None) -> None:
        self.cache = cache  # holds the last index written, in a folder named by the digest of its pages
        self.digest = hashlib.sha256()  # of the pages added so far, with the indexer and its options
        self.held: list[tuple[str, str]] | None = None  # pages not indexed yet, while the last index may do
        self.process: subprocess.Popen[bytes] | None = None
        self.reader: threading.Thread | None = None
        self.writer: threading.Thread | None = None
        self.outbox: queue.Queue[bytes | None] = queue.Queue()  # encoded requests for the writer
        self.replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.index_id = 0
        self.last_id = 0
        self.waiting: set[int] = set()  # ids of the requests not answered yet
        self.pages: dict[int, str] = {}  # message id -> URL of the page it added, for error messages

    def begin(self, *, unchanged: bool) -> None:
        """Starts a build's index. `unchanged`: its pages are likely those of the last index, so they
        are held back until `write` knows; otherwise each goes to the indexer as it comes."""
        self.cancel()
        self.digest = hashlib.sha256(json.dumps([OPTIONS, _indexer()]).encode())
        self.held = [] if unchanged and self.cache else None

    def add(self, html: str, url: str) -> None:
        """Hands a page to the indexer; `url` is site-relative, e.g. "projects/karad/"."""
        main = _main(html)
        for part in (url, main):
            self.digest.update(f"{len(part)}:{part}".encode())
        if self.held is None:
            self._index(main, url)
        else:
            self.held.append((main, url))

    def _index(self, main: str, url: str) -> None:
        if self.process is None:
            self._start()
        message = self._send({"type": "AddFile", "index_id": self.index_id, "url": "/" + url,
                              "file_path": None, "file_contents": main})
        self.pages[message] = url

    def write(self, site_dir: str) -> None:
        """Waits for every page, writes the index into the site and stops the indexer. A full disk or
        a folder without write permission fails the build, in German."""
        bundle = Path(site_dir) / paths.SEARCH_BUNDLE
        # Written whole by every build: no file of an older index may stay, in the preview's site either.
        shutil.rmtree(bundle, ignore_errors=True)
        try:
            self._publish(bundle)
        except OSError as error:
            reason = failure_reason(error.errno, error.filename)
            raise PluginError(f"Der Suchindex konnte nicht in die Website geschrieben werden. {reason}") from None

    def _publish(self, bundle: Path) -> None:
        kept = self.cache / self.digest.hexdigest() if self.cache else None
        if kept and kept.is_dir() and (files := _signed_files(kept)) is not None:
            self.cancel()
            _write_tree(files, bundle)
            return
        for main, url in self.held or ():
            self._index(main, url)
        self.held = None
        if self.process is None:
            self._start()  # a site with no searchable page still gets a (empty) index for /suche/
        try:
            errors = [f"{self.pages[reply['message_id']]}: {reply['payload']['message']}"
                      for reply in self._drain() if reply["payload"]["type"] == "Error"]
            if errors:
                raise PluginError("Die Suche konnte diese Seiten nicht aufnehmen: " + "; ".join(errors))
            # The files come through the pipe and Python writes them: Pagefind's own writing ("WriteFiles")
            # replies before its last files are complete, and they stay empty when it ends.
            self._send({"type": "GetFiles", "index_id": self.index_id})
            reply = self._drain()[-1]["payload"]
            if reply["type"] == "Error":
                raise PluginError(f"Der Suchindex konnte nicht geschrieben werden: {reply['message']}")
            files = {file["path"]: base64.b64decode(file["content"]) for file in reply["files"]}
        finally:
            self.cancel()
        if kept:
            self._keep(files, kept)
        _write_tree(files, bundle)

    def _keep(self, files: dict[str, bytes], kept: Path) -> None:
        """Puts the index in the cache as the only one there, whole or not at all."""
        assert self.cache
        temporary = self.cache / f".{kept.name}.{os.getpid()}"
        try:
            _write_tree({**files, SIGNATURE: signature(_listing(files))}, temporary)
            for old in self.cache.iterdir():
                if old != temporary:
                    shutil.rmtree(old, ignore_errors=True)
            temporary.rename(kept)
        except OSError:  # a full or read-only disk: the next build indexes again
            shutil.rmtree(temporary, ignore_errors=True)

    def cancel(self) -> None:
        """Stops the indexer without writing anything (also after a failed build)."""
        if self.process is None:
            return
        process, self.process = self.process, None
        self.outbox.put(None)
        if self.writer:
            self.writer.join()
        assert process.stdin
        try:
            process.stdin.close()  # the indexer ends at the end of its input
        except BrokenPipeError:
            pass  # it has ended already
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if self.reader:
            self.reader.join()

    def _start(self) -> None:
        binary = get_executable()
        if binary is None:
            raise PluginError(f"Pagefind, das Programm für die Suche, fehlt. {INSTALL}")
        self.replies = queue.Queue()
        self.outbox = queue.Queue()
        self.pages = {}
        self.last_id = 0
        self.waiting = set()
        try:
            self.process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except OSError as error:
            raise PluginError(f"Pagefind, das Programm für die Suche, startet nicht ({binary}: {error.strerror}). "
                              + INSTALL) from None
        if hasattr(os, "setpriority"):  # not on Windows
            os.setpriority(os.PRIO_PROCESS, self.process.pid, os.nice(0) + OUTPUTS_NICE)
        self.reader = threading.Thread(target=self._read, name="pagefind-replies", daemon=True)
        self.reader.start()
        self.writer = threading.Thread(target=self._write, name="pagefind-requests", daemon=True)
        self.writer.start()
        self._send({"type": "NewIndex", "config": OPTIONS})
        reply = self._drain()[-1]["payload"]
        if reply["type"] != "NewIndex":
            raise PluginError(f"Pagefind konnte keinen Suchindex anlegen: {reply.get('message')}")
        self.index_id = reply["index_id"]

    def _send(self, payload: dict[str, Any]) -> int:
        """Sends a request: base64-encoded JSON, ended by a comma. Returns its message id."""
        self.last_id += 1
        self.waiting.add(self.last_id)
        request = json.dumps({"message_id": self.last_id, "payload": payload}).encode()
        self.outbox.put(base64.b64encode(request) + b",")
        return self.last_id

    def _write(self) -> None:
        """Writes the requests into the indexer's input until None comes. Where the indexer has
        ended, the requests are dropped: the reader reports that it ended."""
        assert self.process and self.process.stdin
        stdin = self.process.stdin
        while (request := self.outbox.get()) is not None:
            try:
                stdin.write(request)
                stdin.flush()
            except BrokenPipeError:
                pass

    def _read(self) -> None:
        """The indexer's replies, encoded as the requests, into `replies`; None when its output ends
        or makes no sense."""
        assert self.process and self.process.stdout
        output = self.process.stdout.fileno()  # `cancel` may forget the process before it ends
        pending = bytearray()  # a reply can be megabytes: the index's files
        try:
            while chunk := os.read(output, 1 << 20):
                end = chunk.find(b",")
                pending += chunk
                if end == -1:
                    continue
                *replies, rest = pending.split(b",")
                pending = bytearray(rest)
                for reply in replies:
                    decoded = json.loads(base64.b64decode(reply))
                    if not isinstance(decoded, dict) or not isinstance(decoded.get("payload"), dict):
                        raise ValueError(decoded)
                    self.replies.put(decoded)
        except ValueError:  # also invalid base64 or JSON
            pass
        self.replies.put(None)

    def _drain(self) -> list[dict[str, Any]]:
        """Waits for the replies to every request sent so far; returns them in the order sent."""
        received: list[dict[str, Any]] = []
        while self.waiting:
            reply = self.replies.get()
            if reply is None:
                raise PluginError(ENDED)
            if reply.get("message_id") not in self.waiting:  # Pagefind could not read a request
                raise PluginError(f"Pagefind, das Programm für die Suche, meldet einen Fehler: {reply['payload'].get('message')}")
            self.waiting.discard(reply["message_id"])
            received.append(reply)
        return sorted(received, key=lambda reply: reply["message_id"])
