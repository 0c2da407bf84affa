"""`rundbrief edit`: the live preview with Decap CMS at /admin/, Rundbrief itself answering Decap's
local-proxy protocol (`POST /api/v1`, as decap-server's localGit middleware does). Unlike decap-server,
every save is checked with the build's rules in a copy of the project first, so that a save the build
would refuse writes nothing; a good save writes the bytes sent and makes a git commit."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

from rundbrief.core.cms import MEDIA_FOLDER, decap_config, gitlab_backend
from rundbrief.core.images import IMAGE_TYPES, ImageProblem, scrub
from rundbrief.core.content import load_content
from rundbrief.core.model import NEWSLETTERS, PROJECTS
from rundbrief.core.problems import ERROR, Problem
from rundbrief.core.source import split_front_matter
from rundbrief.core.text import today

from .check import checked
from .errors import log_traceback, visible
from .preview import _hosts, loopback
from .project import Failure, Workspace, open_workspace

MAX_REQUEST = 40 * 1024 * 1024  # bytes of JSON: a photo of some 25 MB, base64-encoded
# What the copy for checking a save leaves out: history, installed tools, built sites, caches.
_NOT_COPIED = {".git", ".venv", "venv", "node_modules", ".cache", "__pycache__", ".pytest_cache"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?:.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


# Decap CMS and the chunks it loads, vendored from npm (decap/README.md): editors need no Node.js
DECAP = Path(__file__).parent / "decap"


class Refused(Exception):
    """A request the editor's server does not carry out; the message says why, in German."""

    def __init__(self, message: str, status: str = "422 Unprocessable Entity"):
        super().__init__(message)
        self.status = status


class EditServer:
    """Answers /admin/ (Decap and its configuration) and /api/v1 (the protocol); everything else is
    the preview's. One request at a time changes the project, as one git index allows."""

    def __init__(self, workspace: Workspace, config_file: str, dist: Path, url: str, branch: str):
        self.root = workspace.root
        self.config_file = Path(config_file).resolve()
        self.dist = dist
        self.url = url.rstrip("/")
        self.branch = branch
        self.docs = Path(workspace.config.docs_dir).resolve().relative_to(self.root).as_posix()
        self.media = f"{self.docs}/{MEDIA_FOLDER}"
        self.sections = list(workspace.site.config.sections)  # read once: the preview's builds share the plugin
        self.lock = threading.Lock()
        self.checker = _checker()
        parts = urlsplit(url)
        self.origins = frozenset(f"http://{host}" for host in _hosts(parts.hostname or "", parts.port or 80))

    # -- HTTP -------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes] | None:
        path = environ["PATH_INFO"]
        if path == "/api/v1":
            return self._api(environ, start_response)
        if path == "/admin":
            start_response("301 Moved Permanently", [("Location", "/admin/"), ("Content-Length", "0")])
            return [b""]
        if path.startswith("/admin/"):
            return self._admin(path.removeprefix("/admin/"), environ, start_response)
        return None

    def _admin(self, name: str, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return _answer(start_response, "405 Method Not Allowed", b"", "text/plain")
        if name in ("", "index.html"):
            body, kind = _INDEX.encode(), "text/html; charset=utf-8"
        elif name == "config.js":
            body = ("window.CMS_MANUAL_INIT = true;\nwindow.RUNDBRIEF_CMS = "
                    + json.dumps(self.config(f"http://{environ['HTTP_HOST']}"), ensure_ascii=False) + ";\n").encode()
            kind = "text/javascript; charset=utf-8"
        elif name == "start.js":
            body, kind = _START.encode(), "text/javascript; charset=utf-8"
        elif re.fullmatch(r"[\w.-]+\.js", name) and (self.dist / name).is_file():  # Decap and its chunks
            body, kind = (self.dist / name).read_bytes(), "text/javascript; charset=utf-8"
        else:
            return _answer(start_response, "404 Not Found", "Diese Datei gibt es im Editor nicht.".encode(),
                           "text/plain; charset=utf-8")
        return _answer(start_response, "200 OK", body, kind)

    def config(self, url: str) -> dict[str, Any]:
        """Made anew for every page load, as themes and today's date change; `url` is the address the
        editor was opened at (the preview answers only its own), so that its links lead there."""
        return decap_config({"name": "proxy", "proxy_url": "/api/v1", "branch": self.branch}, docs=self.docs,
                            sections=self.sections, themes=load_content(self.root, self.sections).themes(),
                            today=today(), site_url=url)

    def _api(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            self._guard(environ)
            request = _json_body(environ)
            with self.lock:
                answer = self.act(request)
        except Refused as e:
            return _answer(start_response, e.status, json.dumps({"error": str(e)}, ensure_ascii=False).encode())
        except Exception:  # a fault of ours, not of the content: the log file helps to fix it
            error = f"Unerwarteter Fehler im Editor, nichts gespeichert. Die Einzelheiten stehen in {log_traceback()}."
            return _answer(start_response, "500 Internal Server Error", json.dumps({"error": error}).encode())
        return _answer(start_response, "200 OK", json.dumps(answer, ensure_ascii=False).encode())

    def _guard(self, environ: dict[str, Any]) -> None:
        """Only Decap on this machine's own page may write: a page of another site that the editor has open
        sends its own Origin (or a cross-site fetch); a form of it cannot send JSON. No CORS answer ever."""
        if environ["REQUEST_METHOD"] != "POST":
            raise Refused("Der Editor nimmt hier nur Anfragen mit POST an.", "405 Method Not Allowed")
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin not in self.origins:
            raise Refused(f"Anfrage von „{visible(origin[:100])}“ abgelehnt: Erlaubt sind nur Anfragen vom Editor "
                          f"selbst, {self.url}/admin/.", "403 Forbidden")
        if environ.get("HTTP_SEC_FETCH_SITE", "same-origin") not in ("same-origin", "none"):
            raise Refused("Anfrage einer anderen Website abgelehnt.", "403 Forbidden")
        if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
            raise Refused("Erlaubt sind nur Anfragen mit „Content-Type: application/json“.", "415 Unsupported Media Type")

    # -- the protocol ---------------------------------------------------------------------------------

    def act(self, request: dict[str, Any]) -> Any:
        action, params = request.get("action"), request.get("params") or {}
        if not isinstance(params, dict):
            raise Refused("„params“ muss ein Objekt sein.")
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_git"}
        branch = params.get("branch", request.get("branch"))
        if branch != self.branch:
            raise Refused(f"Der Editor arbeitet auf dem Zweig „{self.branch}“, nicht auf „{visible(str(branch))[:60]}“. "
                          "Die Seite neu laden.")
        if action == "entriesByFolder":
            folder = self._folder(params.get("folder"))
            depth = params.get("depth")
            depth = min(depth, 10) if isinstance(depth, int) else 1  # a link in a circle ends here too
            extension = str(params.get("extension") or "")
            return [self._entry(path) for path in self._listed(folder, extension, depth)]
        if action == "entriesByFiles":
            files = params.get("files")
            if not isinstance(files, list):
                raise Refused("„files“ muss eine Liste sein.")
            return [self._entry(self._content_path(f.get("path") if isinstance(f, dict) else None),
                                f.get("label") if isinstance(f, dict) else None) for f in files]
        if action == "getEntry":
            return self._entry(self._content_path(params.get("path")))
        if action == "persistEntry":
            return self._persist_entry(params)
        if action == "unpublishedEntries":
            return []  # no editorial workflow: every save goes to the branch
        if action == "getMedia":
            folder = self._folder(params.get("mediaFolder"))
            if folder != self.media:
                raise Refused(f"Bilder liegen in {self.media}/, nicht in „{visible(folder)}“.")
            return [self._media_file(path) for path in self._listed(folder, "", 1)]
        if action == "getMediaFile":
            return self._media_file(self._content_path(params.get("path")))
        if action == "persistMedia":
            asset = params.get("asset")
            if not isinstance(asset, dict):
                raise Refused("„asset“ fehlt.")
            path, data = self._asset(asset)
            if not self._holds(path, data):  # the same picture again: nothing to write or commit
                self._save({path: data}, f"Bild hochgeladen: {path}")
            return self._media_file(path)
        if action in ("deleteFile", "deleteFiles"):
            paths = [params.get("path")] if action == "deleteFile" else params.get("paths")
            if not isinstance(paths, list) or not paths:
                raise Refused("Keine Datei zum Löschen genannt.")
            targets = [self._content_path(p) for p in paths]
            present = [p for p in targets if (self.root / p).is_file()]
            if present:
                self._save(dict.fromkeys(present), "Gelöscht: " + ", ".join(present))
            return {"message": "Gelöscht: " + ", ".join(targets)}
        if action == "getDeployPreview":
            return None
        raise Refused(f"Unbekannte Aktion „{visible(str(action))[:60]}“. Der Editor kennt die Aktionen von Decap CMS "
                      "ohne redaktionellen Ablauf.")

    def _persist_entry(self, params: dict[str, Any]) -> dict[str, str]:
        files = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
        options = params.get("options")
        options = options if isinstance(options, dict) else {}
        if not isinstance(files, list) or not files or not all(isinstance(f, dict) for f in files):
            raise Refused("Kein Inhalt zum Speichern gesendet.")
        changes: dict[str, bytes | None] = {}
        for file in files:
            if file.get("newPath"):
                raise Refused("Umbenennen geht im Editor nicht: eine neue Datei anlegen und die alte löschen.")
            path = self._content_path(file.get("path"), entry=True)
            raw = file.get("raw")
            if not isinstance(raw, str):
                raise Refused(f"{path}: kein Text gesendet.")
            target = self.root / path
            if options.get("newEntry") and target.exists():
                raise Refused(f"{path} gibt es schon: nichts überschrieben. Einen anderen Titel oder ein anderes "
                              "Datum wählen.")
            old = target.read_bytes() if target.is_file() else None
            new = _kept_front_matter(path, old, raw.encode("utf-8"))
            if new != old:
                changes[path] = new
        for asset in params.get("assets") or []:
            if isinstance(asset, dict):
                path, data = self._asset(asset)
                if not self._holds(path, data):
                    changes[path] = data
        if not changes:
            return {"message": "Unverändert: nichts gespeichert."}
        kind = "Neu" if options.get("newEntry") else "Geändert"
        self._save(changes, f"{kind}: {', '.join(changes)}")
        return {"message": "Gespeichert."}

    # -- paths ------------------------------------------------------------------------------------

    def _folders(self) -> tuple[str, ...]:
        return (NEWSLETTERS, PROJECTS, self.docs)

    def _clean(self, path: Any) -> str:
        if not isinstance(path, str) or not path or "\\" in path or any(ord(c) < 32 or ord(c) == 127 for c in path):
            raise Refused(f"„{visible(str(path))[:100]}“ ist kein erlaubter Pfad.", "403 Forbidden")
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or "." in path.split("/"):
            raise Refused(f"„{visible(path)[:100]}“ führt aus dem Projekt hinaus. Erlaubt sind Pfade in "
                          f"{', '.join(f + '/' for f in self._folders())}.", "403 Forbidden")
        return pure.as_posix()

    def _inside(self, path: str, folders: Iterable[str]) -> bool:
        """Whether `path` lies in one of `folders`, also after following links."""
        for folder in folders:
            if path == folder or path.startswith(folder + "/"):
                real, base = os.path.realpath(self.root / path), os.path.realpath(self.root / folder)
                if real == base or real.startswith(base + os.sep):
                    return True
        return False

    def _confined(self, path: str, folders: Iterable[str]) -> str:
        if self._inside(path, folders):
            return path
        raise Refused(f"„{visible(path)[:100]}“ ist nicht erlaubt. Erlaubt sind Pfade in "
                      f"{', '.join(f + '/' for f in folders)}.", "403 Forbidden")

    def _folder(self, folder: Any) -> str:
        return self._confined(self._clean(folder).rstrip("/"), self._folders())

    def _content_path(self, path: Any, *, entry: bool = False) -> str:
        path = self._confined(self._clean(path), self._folders())
        if entry and not path.endswith(".md"):
            raise Refused(f"„{visible(path)[:100]}“: Der Editor speichert nur Markdown-Dateien (.md).", "403 Forbidden")
        return path

    def _asset(self, asset: dict[str, Any]) -> tuple[str, bytes]:
        """A picture's path and bytes, refused unless it is a picture the site can publish."""
        path = self._confined(self._clean(asset.get("path")), (self.media,))
        if PurePosixPath(path).parent.as_posix() != self.media:
            raise Refused(f"Bilder gehören direkt in den Ordner {self.media}/, nicht in „{visible(path)[:100]}“.",
                          "403 Forbidden")
        if not path.lower().endswith(IMAGE_TYPES):
            raise Refused(f"„{visible(PurePosixPath(path).name)[:100]}“ ist kein Bild, das die Website zeigt. Erlaubt "
                          f"sind die Endungen {', '.join(IMAGE_TYPES)}.")
        if asset.get("encoding") != "base64" or not isinstance(asset.get("content"), str):
            raise Refused("Das Bild kam nicht als base64 an.")
        try:
            data = base64.b64decode(asset["content"], validate=True)
        except ValueError:
            raise Refused("Das Bild kam beschädigt an (kein gültiges base64).") from None
        with tempfile.TemporaryDirectory(prefix="rundbrief-bild-") as cache:
            try:
                scrub(data, Path(cache))  # what the build does with it: readable, not too large
            except ImageProblem as e:
                raise Refused(f"{path}: {e}") from None
        return path, data

    def _holds(self, path: str, data: bytes) -> bool:
        target = self.root / path
        return target.is_file() and target.read_bytes() == data

    def _listed(self, folder: str, extension: str, depth: int) -> list[str]:
        found: list[str] = []
        base = self.root / folder
        if depth <= 0 or not base.is_dir():
            return found
        for child in sorted(base.iterdir()):
            relative = f"{folder}/{child.name}"
            if child.is_dir():
                found += self._listed(relative, extension, depth - 1)
            elif child.name.endswith(extension) and child.is_file() and self._inside(relative, self._folders()):
                found.append(relative)
        return found

    def _entry(self, path: str, label: Any = None) -> dict[str, Any]:
        try:
            data = (self.root / path).read_bytes()
        except OSError:
            return {"data": None, "file": {"path": path, "label": label, "id": None}}
        return {"data": data.decode("utf-8", errors="replace"),
                "file": {"path": path, "label": label, "id": hashlib.sha256(data).hexdigest()}}

    def _media_file(self, path: str) -> dict[str, Any]:
        try:
            data = (self.root / path).read_bytes()
        except OSError:
            raise Refused(f"{path} gibt es nicht.", "404 Not Found") from None
        return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode(),
                "encoding": "base64", "path": path, "name": PurePosixPath(path).name}

    # -- saving -----------------------------------------------------------------------------------

    def _save(self, changes: dict[str, bytes | None], message: str) -> None:
        """Checks the project as it would be with `changes` (None deletes) and, if the build would take
        it, writes them and commits them alone; otherwise writes nothing."""
        if problems := self.problems_with(changes):
            raise Refused("Nicht gespeichert, der Bau würde es ablehnen:\n" + "\n".join(visible(str(p)) for p in problems))
        for path, data in changes.items():
            target = self.root / path
            if data is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                _write(target, data)
        _commit(self.root, list(changes), f"{message} (im Editor)")

    def problems_with(self, changes: dict[str, bytes | None]) -> list[Problem]:
        """The errors the build finds with `changes` that it does not find without them: a save is not
        held up by a fault in another file, but every error in a saved file counts."""
        after = self._errors(changes)
        if all(problem.path in changes for problem in after):
            return after
        before = {(p.path, p.message) for p in self._errors({})}
        return [p for p in after if p.path in changes or (p.path, p.message) not in before]

    def _errors(self, changes: dict[str, bytes | None]) -> list[Problem]:
        # Inside the project, on its file system, so that its files can be linked rather than copied
        scratch = self.root / ".cache" / "rundbrief-editor"
        scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="pruefung-", dir=scratch) as folder:
            copy = Path(folder) / self.root.name
            _copy_project(self.root, copy)
            for path, data in changes.items():
                target = copy / path
                if target.is_file() or target.is_symlink():
                    target.unlink()  # a hard link to the project's file: never written through
                if data is not None:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            config = copy / self.config_file.relative_to(self.root)
            try:
                found = self.checker.submit(_check_copy, str(config)).result()
            except BrokenProcessPool:  # its process was killed: the next save gets a new one
                self.checker = _checker()
                raise Refused("Die Prüfung wurde abgebrochen, nichts gespeichert. Bitte erneut speichern.") from None
            except Exception as e:  # what stopped `rundbrief check` there, e.g. a broken mkdocs.yml
                message = e.format_message() if isinstance(e, Failure) else str(e)
                raise Refused(f"Die Prüfung ist gescheitert, nichts gespeichert: {visible(message)[:500]}") from None
            return [problem for problem in found if problem.severity == ERROR]

    def close(self) -> None:
        self.checker.shutdown(cancel_futures=True)


def _checker() -> ProcessPoolExecutor:
    """The processes the checks run in, one at a time, each check in a new one: MkDocs keeps one instance
    of each plugin per process, and the preview's builds use this one's. Forked from a server that has
    imported Rundbrief already, a check starts at once; where there is no fork server (Windows), each
    process imports it anew."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context: multiprocessing.context.BaseContext = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])  # type: ignore[attr-defined]
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(1, mp_context=context, max_tasks_per_child=1)


def _check_copy(config: str) -> list[Problem]:
    """`rundbrief check` of the copy of the project whose mkdocs.yml is `config`."""
    logging.disable(logging.CRITICAL)  # what MkDocs logs is in the problems, in German; this process ends here
    return checked(open_workspace(config)).problems


def _kept_front_matter(path: str, old: bytes | None, new: bytes) -> bytes:
    """What to write for `new`: the file as it is where Decap only wrote the same values anew (its YAML
    quotes and orders them its own way); the file's own front matter and the new body where only the body
    changed. The editors' file is touched only where they changed it."""
    if old is None or old == new:
        return new
    try:
        old_text, new_text = old.decode("utf-8"), new.decode("utf-8")
    except UnicodeDecodeError:
        return new
    old_front, new_front = _FRONT_MATTER.match(old_text), _FRONT_MATTER.match(new_text)
    if not (old_front and new_front):
        return new
    ignored: list[Problem] = []
    old_source, new_source = split_front_matter(path, old_text, ignored), split_front_matter(path, new_text, ignored)
    if old_source is None or new_source is None or old_source.meta != new_source.meta:
        return new
    return (old_text[: old_front.end()] + new_text[new_front.end():]).encode("utf-8")


def _copy_project(root: Path, copy: Path) -> None:
    """The project for a check: its files as hard links where the file system allows (nothing writes
    them), links as links, so that the check sees what the build would."""

    def link(source: str, target: str) -> None:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    def ignored(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == root
        return {n for n in names if n in _NOT_COPIED or (top and (n == "site" or n.startswith(".site-")))}

    shutil.copytree(root, copy, symlinks=True, ignore=ignored, copy_function=link)


def _write(target: Path, data: bytes) -> None:
    """Whole or not at all: the preview's watcher must never build half a file."""
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".rundbrief-", delete=False) as f:
        f.write(data)
    os.replace(f.name, target)


def _commit(root: Path, paths: list[str], message: str) -> None:
    """Commits exactly `paths`: whatever else is staged or changed in the project stays as it is."""
    identity: list[str] = []
    if not _git(root, "config", "user.email", check=False).strip():
        identity = ["-c", "user.name=Rundbrief-Editor", "-c", "user.email=editor@rundbrief.invalid"]
    known = set(_git(root, "ls-files", "-z", "--", *paths).split("\0"))
    paths = [path for path in paths if path in known or (root / path).exists()]  # not a file git never had
    if not paths:
        return
    _git(root, "add", "--all", "--", *paths)
    _git(root, *identity, "commit", "--quiet", "--no-verify", "--no-gpg-sign", "--only", "-m", message, "--", *paths)


def _git(root: Path, *args: str, check: bool = True) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        raise Refused("git ist nicht installiert: Gespeichert wird mit git. Git installieren (git-scm.com).",
                      "500 Internal Server Error") from None
    if check and done.returncode:
        raise Refused(f"Gespeichert, aber git konnte nicht festhalten: {visible(done.stderr.strip())[:300]}",
                      "500 Internal Server Error")
    return done.stdout


def _json_body(environ: dict[str, Any]) -> dict[str, Any]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not 0 < length <= MAX_REQUEST:
        raise Refused(f"Anfrage leer oder zu groß. Erlaubt sind bis {MAX_REQUEST // 1024 // 1024} MB, "
                      "ein Bild also bis etwa 25 MB.", "413 Content Too Large")
    try:
        request = json.loads(environ["wsgi.input"].read(length))
    except ValueError:
        raise Refused("Die Anfrage ist kein gültiges JSON.", "400 Bad Request") from None
    if not isinstance(request, dict):
        raise Refused("Die Anfrage muss ein JSON-Objekt sein.", "400 Bad Request")
    return request


def _answer(start_response: Callable[..., Any], status: str, body: bytes,
            kind: str = "application/json; charset=utf-8") -> list[bytes]:
    start_response(status, [
        ("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer"),
    ])
    return [body]


# Rundbrief's words in Decap's German: a save publishes nothing (`rundbrief publish` does), and a
# „Beitrag“ is an item of an issue, not a file.
_START = """\
const words = (value) => typeof value === "string" ? value.replace(/Beitr(a|ä)g/g, "Eintr$1g")
  : Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, words(inner)]));
const de = words(CMS.getLocale("de"));
Object.assign(de.editor.editorToolbar, {
  publish: "Speichern", published: "Gespeichert", publishing: "Speichern …", publishNow: "Jetzt speichern",
  publishAndCreateNew: "Speichern und neuen Eintrag anlegen", publishAndDuplicate: "Speichern und Eintrag duplizieren",
});
CMS.registerLocale("de", de);
CMS.init({ config: window.RUNDBRIEF_CMS });
"""

_INDEX = """<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Rundbrief – Editor</title>
<link rel="icon" href="data:,">
<script src="config.js"></script>
<script src="decap-cms.js"></script>
</head>
<body>
<script src="start.js"></script>
</body>
</html>
"""


def current_branch(root: Path) -> str:
    try:
        done = subprocess.run(["git", "symbolic-ref", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
    except OSError:
        raise Failure("Der Editor speichert mit git, das hier nicht installiert ist. Git installieren "
                      "(git-scm.com), dann „rundbrief edit“ wiederholen.") from None
    if done.returncode:
        raise Failure(f"{root} ist kein git-Repository auf einem Zweig: Der Editor hält jede Änderung mit git fest. "
                      "Im Ordner des Projekts „git init“ aufrufen (oder den Zweig auschecken), dann „rundbrief edit“ "
                      "wiederholen.")
    return done.stdout.strip()


def edit_server(config_file: str, dev_addr: str) -> EditServer:
    """The editor's server for the project of `config_file`, on `dev_addr`, which must be this machine's
    own loopback address: the editor writes into the project."""
    workspace = open_workspace(config_file)
    address = urlsplit(f"//{dev_addr}")
    try:
        host, port = address.hostname or "", address.port
    except ValueError:
        host, port = "", None
    if not loopback(host) or port is None:
        raise Failure(f"Der Editor läuft nur auf diesem Rechner: „{visible(dev_addr)}“ ist nicht erlaubt. Erlaubt ist "
                      "eine Adresse dieses Rechners mit Port, z. B. 127.0.0.1:8000 oder localhost:8000.")
    shown = f"[{host}]" if ":" in host else host
    return EditServer(workspace, config_file, DECAP, f"http://{shown}:{port}", current_branch(workspace.root))


def write_cms_config(config_file: str, repo: str, app_id: str, gitlab_url: str, branch: str) -> Path:
    """`rundbrief setup cms gitlab`: Decap's configuration for a GitLab (openCoDE or any other), signed in
    with PKCE, from the same contract as the local editor's. Written only if it reads back as written."""
    workspace = open_workspace(config_file)
    if not re.fullmatch(r"[\w.-]+(/[\w.-]+)+", repo):
        raise Failure(f"„{visible(repo)}“ ist kein GitLab-Projekt. Erlaubt ist gruppe/projekt, z. B. „vernetzungsstelle/rundbrief“.")
    if not re.fullmatch(r"[0-9a-f]{64}|[\w-]{8,128}", app_id):
        raise Failure(f"„{visible(app_id)}“ ist keine Application-ID. Erlaubt ist die lange ID aus GitLab, Einstellungen "
                      "→ Anwendungen (64 Zeichen 0–9, a–f).")
    parts = urlsplit(gitlab_url)
    if parts.scheme != "https" or not parts.hostname:
        raise Failure(f"„{visible(gitlab_url)}“ ist keine GitLab-Adresse. Erlaubt sind Adressen mit https://, z. B. "
                      "https://gitlab.opencode.de.")
    docs = Path(workspace.config.docs_dir).resolve().relative_to(workspace.root).as_posix()
    config = decap_config(gitlab_backend(repo, app_id, gitlab_url.rstrip("/"), branch), docs=docs,
                          sections=workspace.site.config.sections, themes=workspace.content().themes(),
                          today=today(), site_url=workspace.config.site_url or "")
    del config["load_config_file"]  # read from the file
    for collection in config["collections"]:  # the date of today is the day the file was written: no default
        for field in collection["fields"]:
            if field["name"] == "date":
                field.pop("default", None)
    text = ("# Decap CMS mit GitLab (Anmeldung mit PKCE). Geschrieben von „rundbrief setup cms gitlab“ aus den Regeln\n"
            "# des Baus; nach Änderungen an mkdocs.yml oder neuen Themen den Befehl erneut aufrufen.\n"
            + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100))
    if yaml.safe_load(text) != config:
        raise Failure("Die Einstellungen für Decap CMS ließen sich nicht fehlerfrei schreiben: nichts angelegt.")
    path = workspace.root / "cms" / "config.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
