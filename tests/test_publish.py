"""`rundbrief publish` and `rundbrief setup`: the plan (core/publishing.py), and real targets on this
machine: a folder, an SFTP server (asyncssh, started here with a generated host key), a bare git
repository."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import warnings
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from content import issue, profile
from rundbrief.adapter.publish import Refused, publish
from rundbrief.adapter.publish.folder import FolderTarget
from rundbrief.adapter.publish.git import GitTarget
from rundbrief.adapter.publish.sftp import SftpTarget
from rundbrief.core.publishing import (ASSET, FEED, JOURNAL, MANIFEST, PAGE, confined, journal_bytes,
                                       manifest_bytes, plan, rank, read_journal, read_manifest, summary, temporary)
from rundbrief.core.site_dir import STAMP

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import asyncssh

# --- the plan -------------------------------------------------------------------------------------

NAMES = st.lists(st.sampled_from(["index.html", "a/index.html", "a/b/index.html", "assets/x.css", "assets/y.js",
                                  "feed.xml", "sitemap.xml.gz", "feed.json", "pagefind/p.pf_index", "x.txt",
                                  "../etc/passwd", "/abs", "a//b", ".rundbrief-manifest.json"]), unique=True)
HASHES = st.sampled_from(["h1", "h2"])


@given(st.dictionaries(st.sampled_from(["index.html", "a/index.html", "assets/x.css", "feed.xml", "x.txt"]), HASHES),
       NAMES.flatmap(lambda names: st.fixed_dictionaries({n: HASHES for n in names})), NAMES)
def test_plan_sends_what_changed_in_order_and_deletes_only_what_was_published(site, previous, pending):
    steps = plan(site, read_manifest(manifest_bytes(previous)), read_journal(journal_bytes(pending)))
    known = {n for n in [*previous, *pending] if confined(n)}
    assert set(steps.send) == {n for n in site if n not in known or n in pending or previous.get(n) != site[n]}
    assert steps.unchanged == len(site) - len(steps.send)
    assert [rank(n) for n in steps.send] == sorted(rank(n) for n in steps.send)
    assert set(steps.delete) == known - set(site)
    assert all(confined(n) for n in [*steps.send, *steps.delete])


def test_confined_names():
    for name in ["index.html", "a/b/c.css", "pagefind/p.pf_meta", ".well-known/x"]:
        assert confined(name), name
    for name in ["", "..", "../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a\\..\\b", "a\x00b", MANIFEST,
                 JOURNAL, "a/.b.html.rundbrief-neu"]:
        assert not confined(name), name
    assert temporary("a/b.html") == "a/.b.html.rundbrief-neu" and temporary("x") == ".x.rundbrief-neu"


def test_order_assets_pages_feeds():
    assert [rank(n) for n in ["assets/a.css", "linkedin/x.txt", "a/index.html", "404.html", "feed.xml",
                              "projects/k/feed.xml", "feed.json", "sitemap.xml", "sitemap.xml.gz"]] == \
        [ASSET, ASSET, PAGE, PAGE, FEED, FEED, FEED, FEED, FEED]


def test_a_manifest_on_the_target_is_not_trusted():
    assert read_manifest(b"\xff") == {} and read_manifest(b"[]") == {} and read_manifest(None) == {}
    assert read_manifest(b'{"version": 2, "files": {"a": "h"}}') == {}
    planted = json.dumps({"version": 1, "files": {"../x": "h", "/etc/passwd": "h", "a": 1, "ok.html": "h"}})
    assert read_manifest(planted.encode()) == {"ok.html": "h"}
    assert read_journal(b'{"version": 1, "pending": ["../x", "ok.html", 3]}') == {"ok.html"}


def test_summary_in_german():
    assert summary(12, 3, 480) == "12 Dateien übertragen, 3 gelöscht, 480 unverändert"
    assert summary(1, 0, 1) == "1 Datei übertragen, 0 gelöscht, 1 unverändert"


# --- a built site, written by hand: the driver against each target --------------------------------

def make_site(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.rglob("*"), reverse=True):
        old.unlink() if old.is_file() else old.rmdir()
    (folder / STAMP).write_text("stamp")
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


FIRST = {"index.html": "start <a href=a/>", "a/index.html": "A <img src=../assets/p.png>", "assets/p.png": "png",
         "assets/site.css": "css", "feed.xml": "<rss>a</rss>", "sitemap.xml": "<urlset/>",
         "old/index.html": "old", "old/x.txt": "old text"}
SECOND = {**{k: v for k, v in FIRST.items() if not k.startswith("old/")},
          "a/index.html": "A changed <img src=../assets/q.png>", "assets/q.png": "new png", "feed.xml": "<rss>b</rss>"}


def files_of(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_bytes().decode("utf-8", "replace") for p in sorted(root.rglob("*"))
            if p.is_file() and p.name not in (MANIFEST, JOURNAL, ".nojekyll")}


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in root.rglob("*")
            if p.is_file()}


class Recording:
    """A target that logs every call and can fail after `fail_after` writes, as a publish killed half way."""

    def __init__(self, inner, fail_after: int | None = None):
        self.inner, self.fail_after = inner, fail_after
        self.log: list[tuple[str, str]] = []
        self.label = inner.label

    def read(self, name):
        return self.inner.read(name)

    def write(self, name, data):
        if self.fail_after is not None and sum(op == "write" for op, _ in self.log) >= self.fail_after:
            raise ConnectionError("killed")
        self.log.append(("write", name))
        self.inner.write(name, data)

    def write_all(self, files, done):
        for name, source in files:
            self.write(name, source.read_bytes())
            done()

    def delete(self, name):
        self.log.append(("delete", name))
        self.inner.delete(name)

    def finish(self, message):
        self.log.append(("finish", message))
        self.inner.finish(message)

    def close(self):
        self.inner.close()


def folder_target(root: Path) -> FolderTarget:
    root.mkdir(exist_ok=True)
    return FolderTarget(root, f"file://{root}")


def test_folder_twice_then_changes_in_order(tmp_path):
    site, www = make_site(tmp_path / "site", FIRST), tmp_path / "www"
    (www / "old").mkdir(parents=True)
    (www / "old" / "foreign.txt").write_text("the host's")  # never published by Rundbrief: stays
    (www / "robots.txt").write_text("the host's")
    outcome = publish(site, folder_target(www), print)
    assert (outcome.sent, outcome.deleted, outcome.unchanged) == (8, 0, 0)
    assert files_of(www) == {**FIRST, "old/foreign.txt": "the host's", "robots.txt": "the host's"}
    before = stamps(www)
    again = publish(site, folder_target(www), print)
    assert str(again) == "0 Dateien übertragen, 0 gelöscht, 8 unverändert"
    assert stamps(www) == before  # nothing rewritten, the manifest included

    make_site(site, SECOND)
    recording = Recording(folder_target(www))
    outcome = publish(site, recording, print)
    assert (outcome.sent, outcome.deleted, outcome.unchanged) == (3, 2, 4)
    assert recording.log == [("write", JOURNAL), ("write", "assets/q.png"), ("write", "a/index.html"),
                             ("write", "feed.xml"), ("write", MANIFEST), ("delete", "old/index.html"),
                             ("delete", "old/x.txt"), ("delete", JOURNAL),
                             ("finish", "Website veröffentlicht: 3 Dateien übertragen, 2 gelöscht, 4 unverändert")]
    assert files_of(www) == {**SECOND, "old/foreign.txt": "the host's", "robots.txt": "the host's"}
    assert json.loads((www / MANIFEST).read_text())["files"].keys() == SECOND.keys()
    assert not any(p.name.endswith(".rundbrief-neu") for p in www.rglob("*"))


def test_folder_emptied_by_deletions_is_removed(tmp_path):
    site, www = make_site(tmp_path / "site", FIRST), tmp_path / "www"
    publish(site, folder_target(www), print)
    publish(make_site(site, SECOND), folder_target(www), print)
    assert not (www / "old").exists()


def test_interrupted_publish_leaves_the_previous_site_and_the_next_completes_it(tmp_path):
    site, www = make_site(tmp_path / "site", FIRST), tmp_path / "www"
    publish(site, folder_target(www), print)
    make_site(site, {**SECOND, "new/index.html": "new page"})
    with pytest.raises(ConnectionError):
        publish(site, Recording(folder_target(www), fail_after=3), print)  # journal, q.png, new page
    # the previous site works: every file of the last publish is there, the old manifest unchanged
    assert set(files_of(www)) >= set(FIRST)
    assert json.loads((www / MANIFEST).read_text())["files"].keys() == FIRST.keys()
    assert (www / JOURNAL).is_file()
    # the editor deletes the new page before the next run: what the killed run sent goes too
    make_site(site, SECOND)
    outcome = publish(site, folder_target(www), print)
    assert files_of(www) == SECOND
    assert outcome.deleted == 3  # old/index.html, old/x.txt and the half-published new/index.html
    assert not (www / JOURNAL).exists() and not (www / "new").exists()


def test_a_link_out_of_the_target_is_refused(tmp_path):
    site, www, outside = make_site(tmp_path / "site", FIRST), tmp_path / "www", tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.css").write_text("keep")
    www.mkdir()
    (www / "assets").symlink_to(outside)
    with pytest.raises(Refused, match="ist ein Verweis \\(Symlink\\). Rundbrief schreibt nur in echte Ordner"):
        publish(site, folder_target(www), print)
    assert [p.name for p in outside.iterdir()] == ["keep.css"]


def test_a_planted_manifest_deletes_nothing_outside(tmp_path):
    site, www = make_site(tmp_path / "site", FIRST), tmp_path / "www"
    www.mkdir()
    (tmp_path / "secret").write_text("keep")
    (www / MANIFEST).write_text(json.dumps({"version": 1, "files": {"../secret": "h", str(tmp_path / "secret"): "h"}}))
    publish(site, folder_target(www), print)
    assert (tmp_path / "secret").read_text() == "keep"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ab./\\\x00~", max_size=10), max_size=6), st.sampled_from(["files", "pending"]))
def test_no_name_planted_on_the_target_leads_out_of_it(names, where):
    """Whatever names a manifest or journal on the target holds, nothing outside the target changes, and
    the publish completes (a name under a file or a link is simply not there)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        site, www = make_site(root / "site", {"index.html": "x", "a/index.html": "y"}), root / "www" / "web"
        www.mkdir(parents=True)
        for outside in (root / "www" / "a", root / "b", root / "www" / "web.txt"):
            outside.write_text("keep")
        (www / "link").symlink_to(root / "www")
        (www / "file").write_text("the host's")
        planted = {"version": 1, "files": {name: "h" for name in names}} if where == "files" else \
            {"version": 1, "pending": names}
        (www / (MANIFEST if where == "files" else JOURNAL)).write_text(json.dumps(planted))
        publish(site, FolderTarget(www, "www"), print)
        assert [(p.read_text()) for p in (root / "www" / "a", root / "b", root / "www" / "web.txt")] == ["keep"] * 3
        assert (www / "link").is_symlink()
        assert files_of(www) == {"index.html": "x", "a/index.html": "y"} | (
            {} if "file" in names else {"file": "the host's"})


# --- SFTP: asyncssh's server on 127.0.0.1 ---------------------------------------------------------

class Server:
    """An SFTP server in a thread of its own, serving `root`; it logs the files opened for writing and
    can hang at the n-th one, so that a client is killed half way."""

    def __init__(self, root: Path, password: str = "geheim"):
        self.root, self.password = root, password
        self.host_key = asyncssh.generate_private_key("ssh-ed25519")
        self.client_key = asyncssh.generate_private_key("ssh-ed25519")
        self.written: list[str] = []
        self.hang_at: int | None = None
        self.full_at: int | None = None  # from the n-th file on, the disk is full
        self.hanging = threading.Event()
        self.loop = asyncio.new_event_loop()
        started = threading.Event()
        threading.Thread(target=self._run, args=(started,), daemon=True).start()
        started.wait(10)

    def _run(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self

        class Auth(asyncssh.SSHServer):
            def password_auth_supported(self):
                return True

            def validate_password(self, username, password):
                return username == "web" and password == server.password

        class Sftp(asyncssh.SFTPServer):
            def __init__(self, chan):
                super().__init__(chan, chroot=str(server.root).encode())

            async def open(self, path, pflags, attrs):
                if pflags & asyncssh.FXF_WRITE:
                    server.written.append(path.decode())
                    if server.hang_at is not None and len(server.written) >= server.hang_at:
                        server.hanging.set()
                        await asyncio.sleep(3600)
                    if server.full_at is not None and len(server.written) >= server.full_at:
                        raise asyncssh.SFTPFailure("Platte voll")
                return super().open(path, pflags, attrs)

        keys = asyncssh.import_authorized_keys(self.client_key.export_public_key().decode())
        self.acceptor = self.loop.run_until_complete(asyncssh.create_server(
            Auth, "127.0.0.1", 0, server_host_keys=[self.host_key], authorized_client_keys=keys, sftp_factory=Sftp))
        self.port = self.acceptor.sockets[0].getsockname()[1]
        started.set()
        self.loop.run_forever()

    def stop(self) -> None:
        async def shut_down() -> None:
            self.acceptor.close()
            await self.acceptor.wait_closed()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(shut_down(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    monkeypatch.delenv("RUNDBRIEF_PUBLISH_PASSWORD", raising=False)
    return home


@pytest.fixture
def server(tmp_path, home):
    (tmp_path / "host" / "www").mkdir(parents=True)
    server = Server(tmp_path / "host")
    yield server
    server.stop()


def trust(server: Server, home: Path, *, key: bool = True) -> None:
    line = f"[127.0.0.1]:{server.port} {server.host_key.export_public_key().decode()}"
    (home / ".ssh" / "known_hosts").write_text(line)
    if key:
        server.client_key.write_private_key(str(home / ".ssh" / "id_ed25519"))
        os.chmod(home / ".ssh" / "id_ed25519", 0o600)


def sftp(server: Server) -> SftpTarget:
    return SftpTarget.from_url(f"sftp://web@127.0.0.1:{server.port}/www")


def test_sftp_twice_then_changes(tmp_path, server, home):
    trust(server, home)
    site, www = make_site(tmp_path / "site", FIRST), tmp_path / "host" / "www"
    (www / "robots.txt").write_text("the host's")
    target = sftp(server)
    try:
        assert publish(site, target, print).sent == 8
    finally:
        target.close()
    assert files_of(www) == {**FIRST, "robots.txt": "the host's"}
    before, written = stamps(www), len(server.written)
    target = sftp(server)
    try:
        assert str(publish(site, target, print)) == "0 Dateien übertragen, 0 gelöscht, 8 unverändert"
    finally:
        target.close()
    assert len(server.written) == written and stamps(www) == before  # the server wrote nothing

    target = sftp(server)
    try:
        publish(make_site(site, SECOND), target, print)
    finally:
        target.close()
    assert files_of(www) == {**SECOND, "robots.txt": "the host's"}
    assert [Path(p).name for p in server.written[written:]] == [
        "..rundbrief-manifest.pending.json.rundbrief-neu", ".q.png.rundbrief-neu", ".index.html.rundbrief-neu",
        ".feed.xml.rundbrief-neu", "..rundbrief-manifest.json.rundbrief-neu"]  # every file atomically, in order
    assert not (www / "old").exists()


def test_sftp_failure_half_way_is_named_and_the_next_run_completes(tmp_path, server, home):
    trust(server, home)
    site, www = make_site(tmp_path / "site", FIRST), tmp_path / "host" / "www"
    target = sftp(server)
    try:
        publish(site, target, print)
    finally:
        target.close()
    server.full_at = len(server.written) + 3
    target = sftp(server)
    try:
        with pytest.raises(Refused) as refused:
            publish(make_site(site, SECOND), target, print)
    finally:
        target.close()
    assert str(refused.value) == (
        f"Die Übertragung nach 127.0.0.1:{server.port} ist abgebrochen (Platte voll). Die bisherige Website bleibt "
        "erreichbar; den Befehl wiederholen, er setzt fort, wo er stehen blieb.")
    assert files_of(www).keys() >= FIRST.keys()
    server.full_at = None
    target = sftp(server)
    try:
        publish(site, target, print)
    finally:
        target.close()
    assert files_of(www) == SECOND


def test_sftp_unknown_host_key_is_refused_with_instructions(tmp_path, server, home):
    server.client_key.write_private_key(str(home / ".ssh" / "id_ed25519"))
    target = sftp(server)
    try:
        with pytest.raises(Refused) as refused:
            publish(make_site(tmp_path / "site", FIRST), target, print)
    finally:
        target.close()
    message = str(refused.value)
    assert message.startswith(f"Der Server 127.0.0.1 ist unbekannt: sein Schlüssel steht nicht in "
                              f"{home / '.ssh' / 'known_hosts'}. Er zeigt den Schlüssel SHA256:")
    assert server.host_key.get_fingerprint() in message
    assert f"„ssh -p {server.port} web@127.0.0.1“" in message
    assert f"„ssh-keyscan -p {server.port} 127.0.0.1 >> {home / '.ssh' / 'known_hosts'}“" in message
    assert "beim Webhoster erfragen" in message
    assert server.written == [] and list((tmp_path / "host" / "www").iterdir()) == []


def test_sftp_password_only_from_the_environment(tmp_path, server, home, monkeypatch):
    trust(server, home, key=False)
    site = make_site(tmp_path / "site", FIRST)
    with pytest.raises(Refused, match="Ein Passwort gehört nicht in die Adresse|enthält ein Passwort"):
        SftpTarget.from_url(f"sftp://web:geheim@127.0.0.1:{server.port}/www")
    target = sftp(server)
    try:
        with pytest.raises(Refused) as refused:
            publish(site, target, print)
    finally:
        target.close()
    assert str(refused.value) == (
        "Der Server 127.0.0.1 lehnt die Anmeldung als „web“ ab. Einen SSH-Schlüssel hinterlegen (im SSH-Agenten "
        "oder in ~/.ssh, sein öffentlicher Teil beim Webhoster eingetragen) oder das Passwort in der "
        "Umgebungsvariable RUNDBRIEF_PUBLISH_PASSWORD angeben, und den Benutzernamen in der Adresse prüfen.")
    monkeypatch.setenv("RUNDBRIEF_PUBLISH_PASSWORD", "geheim")
    target = sftp(server)
    try:
        assert publish(site, target, print).sent == 8
    finally:
        target.close()


def test_sftp_refusals_in_german(tmp_path, server, home):
    trust(server, home)
    with pytest.raises(Refused, match="ist keine vollständige SFTP-Adresse"):
        SftpTarget.from_url("sftp://web@/www")
    target = SftpTarget.from_url(f"sftp://web@127.0.0.1:{server.port}/fehlt")
    try:
        with pytest.raises(Refused, match="Den Zielordner /fehlt gibt es auf 127.0.0.1 nicht. Den Ordner beim "
                                          "Webhoster anlegen"):
            publish(make_site(tmp_path / "site", FIRST), target, print)
    finally:
        target.close()
    (tmp_path / "outside").mkdir()
    (tmp_path / "host" / "www" / "assets").symlink_to("/etc")
    target = sftp(server)
    try:
        with pytest.raises(Refused, match="/www/assets auf 127.0.0.1 ist ein Verweis"):
            publish(make_site(tmp_path / "site", FIRST), target, print)
    finally:
        target.close()
    closed = SftpTarget.from_url("sftp://web@127.0.0.1:1/www")
    try:
        with pytest.raises(Refused, match="Keine Verbindung zu 127.0.0.1:1 .*Adresse und Port prüfen"):
            closed.read(MANIFEST)
    finally:
        closed.close()


# --- git: a bare repository ------------------------------------------------------------------------

def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def branch_files(bare: Path, branch: str) -> dict[str, str]:
    names = git("--git-dir", str(bare), "ls-tree", "-r", "--name-only", branch).splitlines()
    return {n: git("--git-dir", str(bare), "show", f"{branch}:{n}") for n in names
            if n not in (MANIFEST, ".nojekyll")}


def test_git_branch_commits_on_top_and_only_when_changed(tmp_path):
    bare = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(bare))
    work = tmp_path / "work"  # the branch exists with a file of its own, as a CNAME
    git("init", "--quiet", str(work))
    (work / "CNAME").write_text("www.example.org")
    git("add", "CNAME", cwd=work)
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "CNAME", cwd=work)
    git("push", "--quiet", str(bare), "HEAD:refs/heads/pages", cwd=work)
    first = git("--git-dir", str(bare), "rev-parse", "pages")
    site, url = make_site(tmp_path / "site", FIRST), f"git+file://{bare}#pages"

    def run():
        target = GitTarget.from_url(url)
        try:
            return publish(site, target, print)
        finally:
            target.close()

    run()
    second = git("--git-dir", str(bare), "rev-parse", "pages")
    assert git("--git-dir", str(bare), "rev-parse", "pages^") == first  # on top of the branch
    assert branch_files(bare, "pages") == {**FIRST, "CNAME": "www.example.org"}
    assert git("--git-dir", str(bare), "log", "-1", "--format=%s", "pages") == (
        "Website veröffentlicht: 8 Dateien übertragen, 0 gelöscht, 0 unverändert")
    run()
    assert git("--git-dir", str(bare), "rev-parse", "pages") == second  # nothing changed: no commit
    make_site(site, SECOND)
    run()
    assert branch_files(bare, "pages") == {**SECOND, "CNAME": "www.example.org"}
    assert git("--git-dir", str(bare), "rev-parse", "pages^") == second


def test_git_new_branch_and_interrupted_publish(tmp_path, monkeypatch):
    bare = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(bare))
    site = make_site(tmp_path / "site", FIRST)
    target = GitTarget.from_url(f"git+file://{bare}#pages")
    try:
        publish(site, target, print)
    finally:
        target.close()
    head = git("--git-dir", str(bare), "rev-parse", "pages")
    target = GitTarget.from_url(f"git+file://{bare}#pages")
    try:
        with pytest.raises(ConnectionError):
            publish(make_site(site, SECOND), Recording(target, fail_after=2), print)
    finally:
        target.close()
    assert git("--git-dir", str(bare), "rev-parse", "pages") == head  # all or nothing
    assert branch_files(bare, "pages") == FIRST


def test_git_push_refused_when_the_branch_moved_meanwhile(tmp_path):
    bare = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(bare))
    site = make_site(tmp_path / "site", FIRST)
    other = tmp_path / "other"
    git("init", "--quiet", str(other))
    (other / "x.txt").write_text("someone else's")
    git("add", "x.txt", cwd=other)
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "x", cwd=other)

    class Racing(Recording):
        def finish(self, message):  # someone else publishes between our fetch and our push
            git("push", "--quiet", "--force", str(bare), "HEAD:refs/heads/pages", cwd=other)
            super().finish(message)

    target = GitTarget.from_url(f"git+file://{bare}#pages")
    try:
        with pytest.raises(Refused, match="Das Hochladen \\(push\\) bei git\\+file://.* ist fehlgeschlagen: .*Der Zweig "
                                          "„pages“ ist unverändert. Hat jemand anderes gerade veröffentlicht, den "
                                          "Befehl einfach wiederholen"):
            publish(site, Racing(target), print)
    finally:
        target.close()
    assert branch_files(bare, "pages") == {"x.txt": "someone else's"}


def test_a_file_where_a_folder_belongs_is_refused(tmp_path):
    www = tmp_path / "www"
    www.mkdir()
    (www / "assets").write_text("a file")
    with pytest.raises(Refused, match="/www/assets ist eine Datei, wo die Website einen Ordner braucht. Die Datei "
                                      "umbenennen oder löschen."):
        publish(make_site(tmp_path / "site", FIRST), folder_target(www), print)
    assert (www / "assets").read_text() == "a file"


def test_git_refusals_in_german(tmp_path):
    with pytest.raises(Refused, match="Nach „#“ fehlt der Zweig"):
        GitTarget.from_url("git+https://codeberg.org/verein/website.git")
    with pytest.raises(Refused) as refused:
        GitTarget.from_url("git+https://ghp_geheim@github.com/verein/website.git")
    assert "„git+https://***@github.com/verein/website.git“: Nach „#“ fehlt der Zweig" in str(refused.value)
    assert "geheim" not in str(refused.value)
    assert GitTarget.from_url("git+https://oauth2:geheim@example.org/x.git#pages").label == \
        "git+https://***@example.org/x.git#pages"
    with pytest.raises(Refused, match="mit https://, ssh:// oder file://"):
        GitTarget.from_url("git+ftp://example.org/x.git#pages")
    target = GitTarget.from_url(f"git+file://{tmp_path}/fehlt.git#pages")
    try:
        with pytest.raises(Refused, match="Das Lesen des Repositorys bei git\\+file://.* ist fehlgeschlagen: .*"
                                          "Der Zweig „pages“ ist unverändert. Die Adresse und die Zugangsdaten"):
            target.read(MANIFEST)
    finally:
        target.close()


# --- the command: real builds -----------------------------------------------------------------------

def set_publish(site, url: str) -> None:
    config = site.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - rundbrief:\n" in text
    config.write_text(text.replace("  - rundbrief:\n", f"  - rundbrief:\n      publish: {url}\n", 1), encoding="utf-8")


def two_issues(site) -> None:
    profile(site)
    issue(site, "2024-12-13", date="2024-12-13", title="Dezemberausgabe")
    issue(site, "2024-11-15", date="2024-11-15", title="Novemberausgabe")


@pytest.mark.slow
@pytest.mark.editors_command
def test_publish_command_twice_change_delete_and_break(site, run, tmp_path_factory):
    two_issues(site)
    www = tmp_path_factory.mktemp("www")
    set_publish(site, f"file://{www}")
    result = run(site, "publish")
    assert result.exit_code == 0, result.output
    assert f"Veröffentliche nach file://{www} …" in result.output
    sent = int(result.output.split("Veröffentlicht: ")[1].split(" ")[0])
    assert f"Veröffentlicht: {sent} Dateien übertragen, 0 gelöscht, 0 unverändert." in result.output
    assert f"  {sent} von {sent} Dateien übertragen\n" in result.output  # the progress, in quarters
    assert "Novemberausgabe" in (www / "newsletters" / "2024-11-15" / "index.html").read_text(encoding="utf-8")
    assert not (www / STAMP).exists()  # the build's stamp stays home
    before = stamps(www)

    result = run(site, "publish")
    assert f"Veröffentlicht: 0 Dateien übertragen, 0 gelöscht, {sent} unverändert." in result.output, result.output
    assert stamps(www) == before

    issue(site, "2024-12-13", date="2024-12-13", title="Weihnachtsausgabe")
    (site.root / "newsletters" / "2024-11-15.md").unlink()
    result = run(site, "publish", "--target", f"file://{www}")
    assert result.exit_code == 0, result.output
    assert "0 gelöscht" not in result.output and "0 Dateien übertragen" not in result.output
    assert not (www / "newsletters" / "2024-11-15").exists()
    assert "Weihnachtsausgabe" in (www / "newsletters" / "2024-12-13" / "index.html").read_text(encoding="utf-8")
    assert "Weihnachtsausgabe" in (www / "feed.xml").read_text(encoding="utf-8")
    before = stamps(www)

    issue(site, "2024-12-13", date="2024-12-13", title="Kaputt", body="## Vorgstellt\n\n### Etwas\n\nText.\n")
    result = run(site, "publish")
    assert result.exit_code == 1
    assert (f"Fehler: Bau abgebrochen. Die bisherige Website in {site.out} ist unverändert. Nichts veröffentlicht: "
            f"file://{www} ist unverändert.") in result.output
    assert stamps(www) == before


@pytest.mark.slow
@pytest.mark.editors_command
def test_publish_killed_half_way_over_sftp(site, run, tmp_path, server, home):
    """A real kill -9 of `rundbrief publish` while the server takes a file: the old site stays whole,
    and the next run completes the new one."""
    trust(server, home)
    two_issues(site)
    www = tmp_path / "host" / "www"
    set_publish(site, f"sftp://web@127.0.0.1:{server.port}/www")
    assert run(site, "publish").exit_code == 0
    first = files_of(www)
    issue(site, "2024-12-13", date="2024-12-13", title="Weihnachtsausgabe")
    (site.root / "newsletters" / "2024-11-15.md").unlink()
    server.hang_at = len(server.written) + 3  # the journal, then two files, then it hangs
    command = subprocess.Popen([sys.executable, "-c", "from rundbrief.cli.main import main; main()", "publish"],
                               cwd=site.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert server.hanging.wait(120), "the publish never reached the server"
    finally:
        command.send_signal(signal.SIGKILL)
        command.wait()
    server.hang_at = None
    after_kill = files_of(www)
    assert set(after_kill) >= set(first)  # every file of the old site is there, the deleted issue too
    assert json.loads((www / MANIFEST).read_text())["files"].keys() == first.keys()
    assert "Novemberausgabe" in after_kill["newsletters/2024-11-15/index.html"]
    result = run(site, "publish")
    assert result.exit_code == 0, result.output
    completed = files_of(www)
    assert "newsletters/2024-11-15/index.html" not in completed
    assert "Weihnachtsausgabe" in completed["newsletters/2024-12-13/index.html"]
    assert not (www / JOURNAL).exists()
    assert not [p for p in www.rglob("*") if p.name.endswith(".rundbrief-neu")]


def test_publish_refusals_in_german(site, run, tmp_path):
    result = run(site, "publish")
    assert result.exit_code == 1
    assert ("Fehler: Es fehlt das Ziel: wohin die Website soll. Entweder „--target ADRESSE“ angeben oder in "
            "mkdocs.yml unter „plugins:“ bei „- rundbrief:“ die Zeile „publish: ADRESSE“ eintragen") in result.output
    result = run(site, "publish", "--target", "ftp://example.org/www")
    assert ("Fehler: Das Ziel „ftp://example.org/www“ ist keine bekannte Adresse. Erlaubt sind „file:///pfad/zum/"
            "ordner“ (ein Ordner)") in result.output and "Nichts veröffentlicht." in result.output
    result = run(site, "publish", "--target", f"file://{tmp_path}/fehlt")
    assert (f"Fehler: Den Zielordner {tmp_path}/fehlt gibt es nicht. Den Ordner anlegen (oder das Laufwerk "
            "einbinden) und den Befehl wiederholen. Nichts veröffentlicht.") in result.output
    result = run(site, "publish", "--target", f"file://{site.root}")
    assert f"Fehler: Der Zielordner {site.root} überschneidet sich mit dem Projektordner" in result.output
    result = run(site, "publish", "--target", "file://example.org/www")
    assert "Ein Ordner wird als „file:///pfad/zum/ordner“ angegeben" in result.output
    result = run(site, "publish", "--target", "sftp://web:geheim@example.org/www")
    assert "Die Adresse „sftp://web:***@example.org/www“ enthält ein Passwort." in result.output
    assert "geheim" not in result.output
    assert not site.out.exists()  # refused before building


# --- rundbrief setup --------------------------------------------------------------------------------

def test_setup_github(site, run):
    result = run(site, "setup", "github")
    assert result.exit_code == 0, result.output
    assert "Angelegt: .github/workflows/rundbrief.yml" in result.output
    text = (site.root / ".github" / "workflows" / "rundbrief.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] == [{"cron": "17 * * * *"}] and "push" in triggers
    steps = workflow["jobs"]["publish"]["steps"]
    assert {"path": ".cache/rundbrief", "key": "rundbrief-${{ github.run_id }}", "restore-keys": "rundbrief-"} == \
        next(step["with"] for step in steps if step.get("uses", "").startswith("actions/cache"))
    assert steps[-1]["run"] == "rundbrief publish"
    assert steps[-1]["env"] == {"RUNDBRIEF_PUBLISH_PASSWORD": "${{ secrets.RUNDBRIEF_PUBLISH_PASSWORD }}"}
    for secret in ("RUNDBRIEF_SSH_KEY", "RUNDBRIEF_KNOWN_HOSTS"):
        assert f"secrets.{secret}" in text
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert "Noch nötig: in mkdocs.yml unter „- rundbrief:“ das Ziel eintragen" in result.output
    before = text
    result = run(site, "setup", "github")
    assert result.exit_code == 1
    assert ("Fehler: .github/workflows/rundbrief.yml gibt es schon: nichts überschrieben. Um sie neu schreiben zu "
            "lassen, die Datei umbenennen oder löschen") in result.output
    assert (site.root / ".github" / "workflows" / "rundbrief.yml").read_text(encoding="utf-8") == before


def test_setup_gitlab_pages_and_publish(site, run):
    result = run(site, "setup", "gitlab")
    assert result.exit_code == 0, result.output
    assert "Build → Pipeline-Zeitpläne einen Zeitplan „17 * * * *“" in result.output
    text = (site.root / ".gitlab-ci.yml").read_text(encoding="utf-8")
    job = yaml.safe_load(text)["pages"]  # without `publish:`, GitLab Pages of the project
    assert job["script"] == ["rundbrief build --site-dir public"] and job["artifacts"] == {"paths": ["public"]}
    assert job["cache"]["paths"] == [".cache/rundbrief"]
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in job["rules"]
    assert "„17 * * * *“" in text
    assert run(site, "setup", "gitlab").exit_code == 1

    (site.root / ".gitlab-ci.yml").unlink()
    set_publish(site, "sftp://web@ssh.example.org/html")
    assert run(site, "setup", "gitlab").exit_code == 0
    text = (site.root / ".gitlab-ci.yml").read_text(encoding="utf-8")
    job = yaml.safe_load(text)["publish"]
    assert job["script"] == ["rundbrief publish"] and job["cache"]["paths"] == [".cache/rundbrief"]
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in job["rules"]
    assert 'printf \'%s\\n\' "$RUNDBRIEF_SSH_KEY" > ~/.ssh/id_ed25519' in job["before_script"][1]
    for secret in ("RUNDBRIEF_SSH_KEY", "RUNDBRIEF_KNOWN_HOSTS", "RUNDBRIEF_PUBLISH_PASSWORD"):
        assert secret in text


def test_help_in_german(site, run):
    for command in (["publish"], ["setup"]):
        result = run(site, *command, "--help")
        assert result.exit_code == 0 and result.output.startswith("Aufruf: rundbrief"), command
    assert "Baut die Website und überträgt nur, was sich geändert hat." in run(site, "publish", "--help").output


@pytest.mark.slow
@pytest.mark.editors_command
def test_publish_command_to_a_git_branch(site, run, tmp_path_factory):
    two_issues(site)
    bare = tmp_path_factory.mktemp("git") / "pages.git"
    git("init", "--quiet", "--bare", str(bare))
    result = run(site, "publish", "--target", f"git+file://{bare}#pages")
    assert result.exit_code == 0, result.output
    assert f"Veröffentliche nach git+file://{bare}#pages …" in result.output
    names = git("--git-dir", str(bare), "ls-tree", "-r", "--name-only", "pages").splitlines()
    assert {"index.html", "newsletters/2024-11-15/index.html", "feed.xml", MANIFEST, ".nojekyll"} <= set(names)
    assert STAMP not in names and JOURNAL not in names
    head = git("--git-dir", str(bare), "rev-parse", "pages")
    (site.root / "newsletters" / "2024-11-15.md").unlink()
    assert run(site, "publish", "--target", f"git+file://{bare}#pages").exit_code == 0
    assert git("--git-dir", str(bare), "rev-parse", "pages^") == head
    assert "newsletters/2024-11-15/index.html" not in git("--git-dir", str(bare), "ls-tree", "-r", "--name-only",
                                                         "pages").splitlines()
