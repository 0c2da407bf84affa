"""`file:///srv/www/rundbrief`: a folder, a mounted share or a local web root. Also the work tree of
the git target."""

from __future__ import annotations

import os
import stat
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from rundbrief.core.publishing import temporary

from . import Refused, real_folder


class FolderTarget:
    def __init__(self, root: Path, label: str):
        self.root = root
        self.label = label
        self._folders: set[Path] = {root}  # checked: real folders inside the root

    @classmethod
    def from_url(cls, url: str, project: Path, site: Path) -> FolderTarget:
        parts = urllib.parse.urlsplit(url)
        if parts.netloc not in ("", "localhost") or not parts.path:
            raise Refused(f"„{url}“: Ein Ordner wird als „file:///pfad/zum/ordner“ angegeben, mit drei "
                          "Schrägstrichen und dem vollen Pfad.")
        root = Path(urllib.request.url2pathname(parts.path))  # file:///C:/www is C:\www on Windows
        if not root.is_dir():
            raise Refused(f"Den Zielordner {root} gibt es nicht. Den Ordner anlegen (oder das Laufwerk "
                          "einbinden) und den Befehl wiederholen.")
        root = root.resolve()
        project, site = project.resolve(), site.resolve()
        for folder, what in ((project, "dem Projektordner"), (site, "dem Ordner der gebauten Website")):
            if folder.is_relative_to(root) or root.is_relative_to(folder):
                raise Refused(f"Der Zielordner {root} überschneidet sich mit {what} ({folder}). Einen eigenen "
                              "Ordner außerhalb des Projekts wählen, z. B. das Verzeichnis des Webservers.")
        return cls(root, url)

    def read(self, name: str) -> bytes | None:
        path = self.root / name
        if not self._folders_of(name, create=False) or path.is_symlink() or not path.is_file():
            return None
        return path.read_bytes()

    def write(self, name: str, data: bytes) -> None:
        self._folders_of(name, create=True)
        part = self.root / temporary(name)
        with part.open("wb") as file:
            file.write(data)
        os.replace(part, self.root / name)

    def write_all(self, files: list[tuple[str, Path]], done: Callable[[], None]) -> None:
        for name, source in files:
            self.write(name, source.read_bytes())
            done()

    def delete(self, name: str) -> None:
        if not self._folders_of(name, create=False):
            return  # its folder is gone, or no real folder: nothing there was published
        path = self.root / name
        for file in (path, self.root / temporary(name)):
            if file.is_symlink() or not file.is_dir():
                file.unlink(missing_ok=True)
        folder = path.parent
        while folder != self.root:
            try:
                folder.rmdir()
            except OSError:  # not empty: it holds more of the site, or files not ours
                break
            self._folders.discard(folder)
            folder = folder.parent

    def finish(self, message: str) -> None:
        pass

    def close(self) -> None:
        pass

    def _folders_of(self, name: str, *, create: bool) -> bool:
        """Whether the folders of `name` are real folders inside the root, created if asked: a link among
        them could lead a write or a deletion anywhere. Writing, anything else is refused."""
        folder = self.root
        for part in name.split("/")[:-1]:
            folder = folder / part
            if folder in self._folders:
                continue
            try:
                mode = folder.lstat().st_mode
            except FileNotFoundError:
                if not create:
                    return False
                folder.mkdir()
                mode = stat.S_IFDIR
            if not real_folder(mode, create=create, folder=str(folder), root=str(self.root)):
                return False
            self._folders.add(folder)
        return True
