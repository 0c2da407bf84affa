"""`rundbrief edit`: Decap's local-proxy protocol answered by Rundbrief, asked over HTTP of a real running
server in a temporary git repository; the configuration generated from the content contract."""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from PIL import Image

from conftest import REPO, _free_port, make_project
from rundbrief.core.cms import decap_config
from rundbrief.core.issues import ISSUE_KEYS
from rundbrief.core.projects import PROJECT_KEYS, STATES
from rundbrief.core.scaffold import issue_text

PROFILE = "projects/anker-plus.md"  # linked by the sample issue: deleting it breaks a link
ISSUE = "newsletters/2024-12-13-die-vernetzungsstelle-informiert.md"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def make_repository(root: Path) -> None:
    make_project(root, sample=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Redaktion")
    git(root, "config", "user.email", "redaktion@example.org")
    (root / ".gitignore").write_text(".cache/\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Beispielinhalte")


class Editor:
    """A running `rundbrief edit`, asked as Decap asks it."""

    def __init__(self, root: Path, port: int, process: subprocess.Popen[str]):
        self.root, self.port, self.process = root, port, process
        self.origin = f"http://127.0.0.1:{port}"

    def request(self, body: object, *, headers: dict[str, str] | None = None, method: str = "POST",
                path: str = "/api/v1") -> tuple[int, dict[str, str], object]:
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json; charset=utf-8", "Origin": self.origin, **(headers or {})}
        request = urllib.request.Request(self.origin + path, data=data, method=method,
                                         headers={k: v for k, v in sent.items() if v})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, answer, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as e:
            status, answer, raw = e.code, dict(e.headers), e.read()
        try:
            return status, answer, json.loads(raw)
        except ValueError:
            return status, answer, raw.decode("utf-8", errors="replace")

    def act(self, action: str, **params: object) -> tuple[int, object]:
        status, _, answer = self.request({"action": action, "params": {"branch": "main", **params}})
        return status, answer

    def persist(self, path: str, raw: str, *, new: bool = False, assets: list[dict] | None = None) -> tuple[int, object]:
        return self.act("persistEntry", dataFiles=[{"path": path, "slug": Path(path).stem, "raw": raw}],
                        assets=assets or [], options={"commitMessage": "Update", "newEntry": new})

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.origin + path, timeout=60) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8")

    def commits(self) -> list[str]:
        return git(self.root, "log", "--format=%s").splitlines()

    def wait(self, path: str, wanted: str, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                status, text = self.get(path)
                if status == 200 and wanted in text:
                    return text
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"{wanted!r} did not appear at {path}")


def start_editor(root: Path, *args: str) -> Editor:
    port = _free_port()
    command = [sys.executable, "-m", "rundbrief", "edit", "-a", f"127.0.0.1:{port}", *args]
    process = subprocess.Popen(command, cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    editor = Editor(root, port, process)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            if editor.act("info")[0] == 200:
                editor.wait("/", "<html")
                return editor
        except OSError:
            time.sleep(0.3)
    raise AssertionError("rundbrief edit did not start")


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    """One editor for the module: each test changes files of its own or restores what it changed."""
    root = tmp_path_factory.mktemp("edit")
    make_repository(root)
    editor = start_editor(root)
    yield editor
    editor.process.send_signal(2)
    editor.process.communicate(timeout=30)


def png(width: int = 600, height: int = 400) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 90)).save(buffer, "PNG")
    return buffer.getvalue()



@pytest.mark.slow
def test_lists_and_reads_entries_as_decap_server_does(editor):
    status, info = editor.act("info")
    assert status == 200 and info["type"] == "local_git" and info["publish_modes"] == ["simple"]
    status, entries = editor.act("entriesByFolder", folder="newsletters", extension="md", depth=1)
    assert status == 200
    paths = sorted(entry["file"]["path"] for entry in entries)
    assert paths == sorted(p.relative_to(editor.root).as_posix() for p in (editor.root / "newsletters").glob("*.md"))
    by_path = {entry["file"]["path"]: entry for entry in entries}
    data = (editor.root / ISSUE).read_bytes()
    assert by_path[ISSUE]["data"] == data.decode() and by_path[ISSUE]["file"]["id"] == hashlib.sha256(data).hexdigest()
    status, entries = editor.act("entriesByFiles", files=[{"path": PROFILE, "label": "ANKER"}])
    assert status == 200 and entries[0]["file"]["label"] == "ANKER"
    assert entries[0]["data"] == (editor.root / PROFILE).read_text(encoding="utf-8")
    status, entry = editor.act("getEntry", path="content/kontakt.md")
    assert status == 200 and entry["data"] == (editor.root / "content/kontakt.md").read_text(encoding="utf-8")
    assert editor.act("unpublishedEntries")[1] == []
    status, answer = editor.act("publishUnpublishedEntry", collection="issues", slug="x")
    assert status == 422 and "Unbekannte Aktion „publishUnpublishedEntry“" in answer["error"]
    status, answer = editor.act("entriesByFolder", folder="newsletters", extension="md", depth=1, branch="gh-pages")
    assert status == 422 and "Zweig „main“" in answer["error"]


@pytest.mark.slow
def test_a_good_save_writes_the_bytes_sent_and_commits_in_german(editor):
    old = (editor.root / PROFILE).read_text(encoding="utf-8")
    raw = old.replace("Kontakt zu Behörden", "Kontakt zu Ämtern").replace("tags: [Alleinerziehende]",
                                                                         "tags: [Alleinerziehende, Mobilität]")
    assert raw != old
    commits = editor.commits()
    status, answer = editor.persist(PROFILE, raw)
    assert status == 200, answer
    assert (editor.root / PROFILE).read_bytes() == raw.encode("utf-8")
    assert editor.commits() == [f"Geändert: {PROFILE} (im Editor)", *commits]
    assert git(editor.root, "status", "--porcelain", "--", "projects") == ""
    assert git(editor.root, "show", "--name-only", "--format=", "HEAD").split() == [PROFILE]
    editor.wait("/projects/anker-plus/", "Kontakt zu Ämtern")  # the preview rebuilt


@pytest.mark.slow
def test_a_new_issue_from_the_template_is_saved_as_a_draft_and_never_overwrites(editor):
    path = "newsletters/2025-03-14-fruehlingsausgabe.md"
    raw = issue_text("Frühlingsausgabe", datetime.date(2025, 3, 14), ["Vorgestellt", "Vernetzt", "Umgeschaut"])
    raw = raw.replace("## Vernetzt\n", "## Vernetzt\n\n### Ein Treffen in Bremen\n\nDie Projekte trafen sich.\n")
    status, answer = editor.persist(path, raw, new=True)
    assert status == 200, answer
    assert (editor.root / path).read_text(encoding="utf-8") == raw
    assert editor.commits()[0] == f"Neu: {path} (im Editor)"
    editor.wait("/newsletters/2025-03-14-fruehlingsausgabe/", "Ein Treffen in Bremen")
    status, answer = editor.persist(path, raw.replace("Bremen", "Bremerhaven"), new=True)
    assert status == 422 and "gibt es schon: nichts überschrieben" in answer["error"]
    assert "Bremerhaven" not in (editor.root / path).read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_save_the_build_would_refuse_writes_nothing_and_names_the_problem(editor):
    before, commits = (editor.root / PROFILE).read_bytes(), editor.commits()
    raw = before.decode().replace("state: Nordrhein-Westfalen", "state: Bayernn")
    status, answer = editor.persist(PROFILE, raw)
    assert status == 422
    assert f"{PROFILE}:4: Unbekanntes Bundesland „Bayernn“. Gemeint ist vielleicht „Bayern“." in answer["error"]
    assert answer["error"].startswith("Nicht gespeichert")
    # a section misspelled in the body, an unknown key: each at its line, all at once
    text = (editor.root / ISSUE).read_text(encoding="utf-8")
    bad = text.replace("## Vernetzt", "## Vernetz").replace("title:", "titel: x\ntitle:", 1)
    status, answer = editor.persist(ISSUE, bad)
    assert status == 422
    assert f"{ISSUE}:2: Unbekannter Schlüssel „titel“" in answer["error"] and "„Vernetz“" in answer["error"]
    assert "Traceback" not in answer["error"]
    assert (editor.root / PROFILE).read_bytes() == before and editor.commits() == commits
    assert (editor.root / ISSUE).read_text(encoding="utf-8") == text
    assert git(editor.root, "status", "--porcelain") == ""  # no file left behind either


@pytest.mark.slow
def test_a_new_file_that_would_break_nothing_else_is_refused_for_its_own_problems_only(editor):
    # Another file already broken does not hold up a good save, but is no excuse for a bad one.
    broken = "newsletters/2025-01-01-kaputt.md"
    (editor.root / broken).write_text("---\ntitle: Kaputt\n---\n", encoding="utf-8")  # no date
    try:
        path = "projects/neues-projekt.md"
        status, answer = editor.persist(path, "---\ntitle: Neu\nlocation: Kiel\nstate: Schleswig-Holstein\n---\n",
                                        new=True)
        assert status == 200, answer
        status, answer = editor.persist("projects/noch-eins.md", "---\ntitle: Noch eins\nlocation: Kiel\n---\n",
                                        new=True)
        assert status == 422 and "Pflichtfeld „state“" in answer["error"] and broken not in answer["error"]
        assert not (editor.root / "projects/noch-eins.md").exists()
    finally:
        (editor.root / broken).unlink()


@pytest.mark.slow
def test_an_unchanged_save_writes_nothing_and_makes_no_commit(editor):
    file = editor.root / ISSUE
    before, stat, commits = file.read_bytes(), file.stat(), editor.commits()
    assert editor.persist(ISSUE, before.decode()) == (200, {"message": "Unverändert: nichts gespeichert."})
    # Decap writes the front matter anew with its own YAML: the same values are no change
    text = before.decode()
    rewritten = text.replace("date: 2024-12-13", "date: '2024-12-13'", 1)
    assert rewritten != text
    assert editor.persist(ISSUE, rewritten)[0] == 200
    assert file.read_bytes() == before and file.stat().st_mtime_ns == stat.st_mtime_ns
    assert editor.commits() == commits
    # only the body changed: the body is saved under the file's own front matter
    changed = rewritten.replace("bunten Bus", "bunten Omnibus")
    assert changed != rewritten
    assert editor.persist(ISSUE, changed)[0] == 200
    assert file.read_bytes() == before.decode().replace("bunten Bus", "bunten Omnibus").encode()
    assert editor.commits()[1:] == commits
    file.write_bytes(before)
    git(editor.root, "commit", "-q", "-am", "Zurück")


@pytest.mark.slow
def test_pictures_go_to_the_images_folder_and_pass_the_picture_checks(editor):
    picture = png()
    asset = {"path": "content/assets/images/bus-neu.png", "content": base64.b64encode(picture).decode(),
             "encoding": "base64"}
    status, answer = editor.act("persistMedia", asset=asset, options={"commitMessage": "Upload"})
    assert status == 200, answer
    assert (editor.root / asset["path"]).read_bytes() == picture
    assert answer["path"] == asset["path"] and base64.b64decode(answer["content"]) == picture
    assert editor.commits()[0] == f"Bild hochgeladen: {asset['path']} (im Editor)"
    commits = editor.commits()
    assert editor.act("persistMedia", asset=asset, options={"commitMessage": "Upload"})[0] == 200  # the same again
    assert editor.commits() == commits
    status, media = editor.act("getMedia", mediaFolder="content/assets/images")
    assert status == 200 and asset["path"] in [m["path"] for m in media]
    status, file = editor.act("getMediaFile", path=asset["path"])
    assert status == 200 and file["id"] == hashlib.sha256(picture).hexdigest()

    refused = [
        ({**asset, "path": "content/assets/images/kaputt.png", "content": base64.b64encode(b"no picture").decode()},
         "Die Datei ist kein lesbares Bild"),
        ({**asset, "path": "content/assets/images/seite.html"}, "Erlaubt sind die Endungen .jpg"),
        ({**asset, "path": "content/assets/images/bild.svg"}, "Erlaubt sind die Endungen"),
        ({**asset, "path": "content/bild.png"}, "content/assets/images/"),
        ({**asset, "path": "content/assets/images/unter/bild.png"}, "direkt in den Ordner"),
        ({**asset, "path": "content/assets/images/../../mkdocs.png"}, "führt aus dem Projekt hinaus"),
    ]
    for bad, message in refused:
        status, answer = editor.act("persistMedia", asset=bad, options={"commitMessage": "Upload"})
        assert status in (403, 422) and message in answer["error"], (bad["path"], answer)
        assert not (editor.root / bad["path"]).exists()
    # a picture sent with an entry is checked as well, and the entry is not saved either
    text = (editor.root / PROFILE).read_text(encoding="utf-8")
    bad = {**asset, "path": "content/assets/images/foto.jpg", "content": base64.b64encode(b"GIF89a").decode()}
    status, answer = editor.persist(PROFILE, text + "\nNeu.\n", assets=[bad])
    assert status == 422 and (editor.root / PROFILE).read_text(encoding="utf-8") == text
    assert git(editor.root, "status", "--porcelain") == ""


@pytest.mark.slow
def test_a_picture_an_issue_uses_is_saved_with_the_issue(editor):
    text = (editor.root / ISSUE).read_text(encoding="utf-8")
    narrow = {"path": "content/assets/images/schmal.png", "content": base64.b64encode(png(200, 100)).decode(),
              "encoding": "base64"}
    raw = text.replace("image: assets/images/bunter-bus.png", "image: assets/images/schmal.png")
    status, answer = editor.persist(ISSUE, raw, assets=[narrow])
    assert status == 422 and "480" in answer["error"]  # too narrow for an issue's picture
    assert not (editor.root / narrow["path"]).exists()
    wide = {**narrow, "path": "content/assets/images/breit.png", "content": base64.b64encode(png()).decode()}
    status, answer = editor.persist(ISSUE, raw.replace("schmal", "breit"), assets=[wide])
    assert status == 200, answer
    assert git(editor.root, "show", "--name-only", "--format=", "HEAD").split() == sorted([ISSUE, wide["path"]])
    (editor.root / ISSUE).write_text(text, encoding="utf-8")
    git(editor.root, "commit", "-q", "-am", "Zurück")


@pytest.mark.slow
def test_deleting_checks_what_the_deletion_breaks(editor):
    commits = editor.commits()
    status, answer = editor.act("deleteFile", path=PROFILE, options={"commitMessage": "Delete"})
    assert status == 422 and ISSUE in answer["error"]  # the issue links the profile
    assert (editor.root / PROFILE).exists() and editor.commits() == commits
    path = "projects/zum-loeschen.md"
    assert editor.persist(path, "---\ntitle: Weg\nlocation: Kiel\nstate: Hamburg\n---\n", new=True)[0] == 200
    status, answer = editor.act("deleteFiles", paths=[path], options={"commitMessage": "Delete"})
    assert status == 200, answer
    assert not (editor.root / path).exists() and editor.commits()[0] == f"Gelöscht: {path} (im Editor)"
    assert git(editor.root, "status", "--porcelain") == ""
    # a file git never had: deleted, nothing to commit
    untracked = editor.root / "projects/von-hand.md"
    untracked.write_text("---\ntitle: Von Hand\nlocation: Kiel\nstate: Hamburg\n---\n", encoding="utf-8")
    commits = editor.commits()
    assert editor.act("deleteFile", path="projects/von-hand.md", options={"commitMessage": "Delete"})[0] == 200
    assert not untracked.exists() and editor.commits() == commits


@pytest.mark.slow
@pytest.mark.parametrize("path", [
    "../outside.md", "/etc/passwd", "mkdocs.yml", ".git/config", "newsletters/../mkdocs.yml", "projects\\x.md",
    "newsletters/\x00.md", "overrides/main.html", "newsletters/./x.md", "",
])
def test_paths_outside_the_content_folders_are_refused(editor, path):
    for action, params in [("getEntry", {"path": path}), ("entriesByFiles", {"files": [{"path": path}]}),
                           ("deleteFile", {"path": path, "options": {"commitMessage": "x"}}),
                           ("getMediaFile", {"path": path}),
                           ("entriesByFolder", {"folder": path, "extension": "md", "depth": 1})]:
        status, answer = editor.act(action, **params)
        assert status == 403 and ("Erlaubt sind Pfade in" in answer["error"] or "kein erlaubter Pfad" in answer["error"])
    status, answer = editor.persist(path, "---\ntitle: x\n---\n")
    assert status == 403
    assert (editor.root / "mkdocs.yml").is_file() and git(editor.root, "status", "--porcelain") == ""


@pytest.mark.slow
def test_a_link_out_of_a_content_folder_is_not_followed(editor, tmp_path):
    secret = tmp_path / "geheim.md"
    secret.write_text("geheim", encoding="utf-8")
    link = editor.root / "projects" / "link.md"
    link.symlink_to(secret)
    try:
        status, answer = editor.act("getEntry", path="projects/link.md")
        assert status == 403 and "geheim" not in json.dumps(answer)
        assert editor.persist("projects/link.md", "---\ntitle: x\n---\n")[0] == 403
        status, entries = editor.act("entriesByFolder", folder="projects", extension="md", depth=1)
        assert status == 200 and "projects/link.md" not in [e["file"]["path"] for e in entries]
        assert "geheim" not in json.dumps(entries)
        assert secret.read_text(encoding="utf-8") == "geheim"
    finally:
        link.unlink()


@pytest.mark.slow
def test_only_the_editors_own_page_may_ask(editor):
    info = {"action": "info"}
    for headers in ({"Origin": "https://boese.example"}, {"Origin": "http://127.0.0.1:1"}, {"Origin": "null"},
                    {"Sec-Fetch-Site": "cross-site"}):
        status, answer_headers, answer = editor.request(info, headers=headers)
        assert status == 403 and "abgelehnt" in answer["error"]
        assert not any(h.lower().startswith("access-control-") for h in answer_headers)
    # what a form of another site can send without asking first: no JSON
    status, _, answer = editor.request(info, headers={"Content-Type": "text/plain", "Origin": ""})
    assert status == 415
    status, answer_headers, _ = editor.request(None, method="OPTIONS", headers={
        "Origin": "https://boese.example", "Access-Control-Request-Method": "POST"})
    assert status >= 400 and not any(h.lower().startswith("access-control-") for h in answer_headers)
    assert editor.request(None, method="GET")[0] == 405
    # a name of another site pointed at this machine (DNS rebinding): the preview's own guard
    status, _, _ = editor.request(info, headers={"Host": f"boese.example:{editor.port}", "Origin": ""})
    assert status == 403
    # the localhost names of the same server are its own
    for origin in (f"http://localhost:{editor.port}", f"http://127.0.0.1:{editor.port}"):
        assert editor.request(info, headers={"Origin": origin})[0] == 200


@pytest.mark.slow
def test_the_editor_listens_on_this_machine_only(tmp_path):
    make_repository(tmp_path)
    for address in ("0.0.0.0:8123", "192.168.1.20:8000", "[::]:8000", "example.org:8000", "127.0.0.1:x"):
        done = subprocess.run([sys.executable, "-m", "rundbrief", "edit", "-a", address], cwd=tmp_path,
                              capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        assert done.returncode == 1 and "Der Editor läuft nur auf diesem Rechner" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_without_git_the_editor_says_what_to_do(tmp_path):
    make_project(tmp_path, sample=False)
    done = subprocess.run([sys.executable, "-m", "rundbrief", "edit", "-a", "127.0.0.1:8124"], cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 1 and "„git init“" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_decap_is_vendored_as_npm_installed_it():
    """The copy in the package (cli/decap/) is the pinned npm release's, byte for byte, and whole: every
    chunk the bundle loads is there. tests/run installs the npm package."""
    dist, vendored = REPO / "node_modules/decap-cms/dist", REPO / "plugins/rundbrief/cli/decap"
    version = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]["decap-cms"]
    assert json.loads((dist.parent / "package.json").read_text(encoding="utf-8"))["version"] == version.lstrip("=^~")
    wanted = {"decap-cms.js", *(path.name for path in dist.glob("*.decap-cms.js"))}
    assert {path.name for path in vendored.glob("*.js")} == wanted
    for name in wanted:
        assert (vendored / name).read_bytes() == (dist / name).read_bytes(), name
    assert "MIT License" in (vendored / "LICENSE").read_text(encoding="utf-8")


def test_admin_serves_decap_with_the_generated_configuration(editor):
    status, page = editor.get("/admin/")
    assert status == 200 and '<script src="decap-cms.js">' in page and "http" not in page.split("<body>")[1]
    status, script = editor.get("/admin/decap-cms.js")
    assert status == 200
    assert script.encode() == (REPO / "plugins/rundbrief/cli/decap/decap-cms.js").read_bytes()
    status, config = editor.get("/admin/config.js")
    config = json.loads(config.split("window.RUNDBRIEF_CMS = ", 1)[1].rstrip().removesuffix(";"))
    assert config["backend"] == {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"}
    assert config["locale"] == "de" and config["site_url"] == editor.origin
    projects = next(c for c in config["collections"] if c["name"] == "projects")
    state = next(f for f in projects["fields"] if f["name"] == "state")
    assert state["widget"] == "select" and state["options"] == list(STATES) and state["required"]
    tags = next(f for f in projects["fields"] if f["name"] == "tags")
    assert "Alleinerziehende" in tags["options"]
    for name in ("../mkdocs.yml", "..%2Fmkdocs.yml", "geheim.txt", "decap-cms.js.map"):
        assert editor.get(f"/admin/{name}")[0] == 404


def test_the_configuration_is_the_content_contract():
    config = decap_config({"name": "proxy"}, docs="content", sections=["Vorgestellt", "Vernetzt", "Umgeschaut"],
                          themes=["Mobilität"], today=datetime.date(2025, 3, 14))
    issues, projects, pages = config["collections"]
    assert [f["name"] for f in issues["fields"]] == [*ISSUE_KEYS, "body"]
    assert sorted(f["name"] for f in projects["fields"]) == sorted([*PROJECT_KEYS, "body"])
    required = {c["name"]: {f["name"] for f in c["fields"] if f["required"]} for c in config["collections"]}
    assert required == {"issues": {"title", "date"}, "projects": {"title", "location", "state"}, "pages": set()}
    fields = {f["name"]: f for f in issues["fields"]}
    assert fields["draft"]["default"] is True and fields["date"]["default"] == "2025-03-14"
    template = issue_text("x", datetime.date(2025, 3, 14), ["Vorgestellt", "Vernetzt", "Umgeschaut"])
    assert fields["body"]["default"] == template.partition("\n---\n")[2]
    assert fields["body"]["widget"] == "text"  # raw: Decap's rich text rewrites Markdown
    # hints in the build's own words: what its message for a wrong value says is allowed
    assert fields["date"]["hint"].startswith("Erlaubt ist JJJJ-MM-TT") and "09:00" in fields["date"]["hint"]
    website = next(f for f in projects["fields"] if f["name"] == "website")
    assert website["hint"] == website["pattern"][1] == ("Erlaubt sind Adressen, die mit „https://“ oder „http://“ "
                                                        "beginnen, z. B. „https://www.beispiel.de“.")
    assert issues["folder"] == "newsletters" and issues["slug"] == "{{fields.date | date('YYYY-MM-DD')}}-{{slug}}"


@pytest.mark.slow
def test_setup_cms_gitlab_writes_a_configuration_that_parses(tmp_path):
    make_repository(tmp_path)
    app_id = "0123456789abcdef" * 4
    done = subprocess.run([sys.executable, "-m", "rundbrief", "setup", "cms", "gitlab", "--repo", "vernetzung/rundbrief",
                           "--app-id", app_id], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load((tmp_path / "cms/config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "gitlab", "repo": "vernetzung/rundbrief", "branch": "main", "auth_type": "pkce",
                                 "app_id": app_id, "base_url": "https://gitlab.opencode.de",
                                 "api_root": "https://gitlab.opencode.de/api/v4"}
    assert [c["folder"] for c in config["collections"]] == ["newsletters", "projects", "content"]
    done = subprocess.run([sys.executable, "-m", "rundbrief", "setup", "cms", "gitlab", "--repo", "x",
                           "--app-id", app_id], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 1 and "gruppe/projekt" in done.stderr


def test_help_of_edit_is_german():
    from click.testing import CliRunner

    from rundbrief.cli.main import main

    result = CliRunner().invoke(main, ["edit", "--help"])
    assert result.exit_code == 0 and result.output.startswith("Aufruf: rundbrief edit [OPTIONEN]")
    assert "nur Adressen dieses Rechners" in result.output and "Options" not in result.output
