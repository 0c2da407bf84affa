"""`git+<remote>#<branch>`: a branch that a pages service serves (Codeberg's `pages`, GitHub's
`gh-pages`, a GitLab project's branch), e.g. `git+https://codeberg.org/verein/website.git#pages`,
`git+ssh://git@gitlab.opencode.de/gruppe/website.git#pages`, `git+file:///srv/git/website.git#pages`.

The branch's last commit is fetched into a temporary work tree, brought to the site by the same plan as
a folder, committed as one clean commit on top of the branch and pushed with the system's git, which
brings its own credentials (SSH keys, credential helpers). The push is all or nothing: an interrupted
publish leaves the branch as it was."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from . import Refused, without_password
from .folder import FolderTarget

NO_JEKYLL = ".nojekyll"  # GitHub Pages would otherwise run Jekyll, which leaves out files named _…
_IDENTITY = {"GIT_AUTHOR_NAME": "Rundbrief", "GIT_AUTHOR_EMAIL": "rundbrief@localhost",
             "GIT_COMMITTER_NAME": "Rundbrief", "GIT_COMMITTER_EMAIL": "rundbrief@localhost"}
_BRANCH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


class GitTarget:
    def __init__(self, remote: str, branch: str, label: str):
        self.remote, self.branch, self.label = remote, branch, label
        self._folder = tempfile.TemporaryDirectory(prefix="rundbrief-git-")
        self.git_dir = Path(self._folder.name) / "repo.git"
        self.tree = Path(self._folder.name) / "tree"
        self._files: FolderTarget | None = None
        self._parent: str | None = None

    @classmethod
    def from_url(cls, url: str) -> GitTarget:
        remote, _, branch = url[len("git+"):].partition("#")
        shown = _shown(url)
        if not branch or not _BRANCH.fullmatch(branch) or ".." in branch or branch.endswith((".lock", "/", ".")):
            raise Refused(f"„{shown}“: Nach „#“ fehlt der Zweig, in den die Website kommt, z. B. "
                          "„git+https://codeberg.org/verein/website.git#pages“ oder „…#gh-pages“ für GitHub.")
        if urllib.parse.urlsplit(remote).scheme not in ("https", "http", "ssh", "file"):
            raise Refused(f"„{shown}“: Nach „git+“ steht die Adresse des Repositorys mit https://, ssh:// oder "
                          "file://, z. B. „git+ssh://git@gitlab.opencode.de/gruppe/website.git#pages“.")
        return cls(remote, branch, shown)

    def read(self, name: str) -> bytes | None:
        return self._work_tree().read(name)

    def write(self, name: str, data: bytes) -> None:
        self._work_tree().write(name, data)

    def write_all(self, files: list[tuple[str, Path]], done: Callable[[], None]) -> None:
        self._work_tree().write_all(files, done)

    def delete(self, name: str) -> None:
        self._work_tree().delete(name)

    def finish(self, message: str) -> None:
        files = self._work_tree()
        if files.read(NO_JEKYLL) is None:
            files.write(NO_JEKYLL, b"")
        self._git("add", "--all", what="Die Dateien vormerken")
        tree = self._git("write-tree", what="Den Stand festhalten")
        if self._parent and tree == self._git("rev-parse", f"{self._parent}^{{tree}}", what="Den Stand lesen"):
            return  # nothing changed: no empty commit
        parents = ["-p", self._parent] if self._parent else []
        identity = {} if self._git_ok("config", "user.email") else _IDENTITY
        commit = self._git("commit-tree", tree, *parents, "-m", message, what="Den Commit anlegen", env=identity)
        self._git("push", "--quiet", self.remote, f"{commit}:refs/heads/{self.branch}", what="Das Hochladen (push)",
                  hint="Hat jemand anderes gerade veröffentlicht, den Befehl einfach wiederholen; sonst die "
                       "Zugangsdaten (SSH-Schlüssel oder Zugangstoken mit Schreibrecht) prüfen.")

    def close(self) -> None:
        self._folder.cleanup()

    def _work_tree(self) -> FolderTarget:
        """The branch's last commit, checked out; an empty tree where the branch does not exist yet."""
        if self._files is None:
            self.tree.mkdir()
            self._git("init", "--quiet", "--bare", str(self.git_dir), what="Das Vorbereiten", bare=True)
            heads = self._git("ls-remote", "--heads", self.remote, f"refs/heads/{self.branch}",
                              what="Das Lesen des Repositorys",
                              hint="Die Adresse und die Zugangsdaten (SSH-Schlüssel oder Zugangstoken) prüfen.")
            if heads:
                self._git("fetch", "--quiet", "--depth", "1", self.remote, f"refs/heads/{self.branch}",
                          what=f"Das Holen des Zweigs „{self.branch}“")
                self._parent = self._git("rev-parse", "FETCH_HEAD", what="Den Stand lesen")
                self._git("read-tree", "--reset", "-u", self._parent, what="Das Auspacken")
            self._files = FolderTarget(self.tree, self.label)
        return self._files

    def _git_ok(self, *args: str) -> bool:
        return subprocess.run(["git", f"--git-dir={self.git_dir}", *args], capture_output=True,
                              env=_environment({})).returncode == 0

    def _git(self, *args: str, what: str, hint: str = "", env: dict[str, str] | None = None,
             bare: bool = False) -> str:
        where = [] if bare else [f"--git-dir={self.git_dir}", f"--work-tree={self.tree}"]
        try:
            done = subprocess.run(["git", *where, *args], capture_output=True, text=True, cwd=self.tree,
                                  env=_environment(env or {}))
        except FileNotFoundError:
            raise Refused("git ist auf diesem Rechner nicht installiert. git installieren (https://git-scm.com) "
                          "und den Befehl wiederholen.") from None
        if done.returncode:
            lines = [line for line in done.stderr.replace(self.remote, _shown(self.remote)).splitlines()
                     if line.strip()]
            reason = lines[-1].strip() if lines else f"Rückgabewert {done.returncode}"
            raise Refused(f"{what} bei {self.label} ist fehlgeschlagen: {reason}. Der Zweig "
                          f"„{self.branch}“ ist unverändert. {hint}".rstrip())
        return done.stdout.strip()


def _shown(url: str) -> str:
    """The URL fit to print: over https a token may stand as the user name as well as the password."""
    parts = urllib.parse.urlsplit(url.removeprefix("git+"))
    if "@" not in parts.netloc or not parts.scheme.startswith("http"):
        return without_password(url)
    return url.replace(parts.netloc, "***@" + parts.netloc.rpartition("@")[2], 1)


def _environment(extra: dict[str, str]) -> dict[str, str]:
    """git never waits for a password nobody types (a build server has no terminal)."""
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **extra}
