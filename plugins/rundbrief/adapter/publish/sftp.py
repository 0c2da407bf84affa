"""`sftp://user@host[:port]/path`: the plain web host, through asyncssh. Keys come from the SSH agent or
`~/.ssh`, a password only from RUNDBRIEF_PUBLISH_PASSWORD (never from the URL, which lives in
mkdocs.yml, in the repository); the host key must be in `~/.ssh/known_hosts`."""

from __future__ import annotations

import asyncio
import os
import posixpath
import stat
import urllib.parse
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

with warnings.catch_warnings():  # cryptography warns about DSA, which asyncssh still offers; not the editors' concern
    warnings.simplefilter("ignore")
    import asyncssh

from rundbrief.core.publishing import temporary

from . import PASSWORD_VARIABLE, Refused, real_folder, without_password

T = TypeVar("T")
CONNECT_SECONDS = 30
# Requests in flight at once: one at a time, a web host 30 ms away took minutes for a first publish.
PARALLEL = 8


class SftpTarget:
    def __init__(self, user: str | None, host: str, port: int, root: str, label: str):
        self.user, self.host, self.port, self.root, self.label = user, host, port, root, label
        self._runner = asyncio.Runner()
        self._connection: asyncssh.SSHClientConnection | None = None
        self._client: asyncssh.SFTPClient | None = None
        self._folders: set[str] = {root}
        self._folders_lock: asyncio.Lock | None = None  # made in the runner's loop

    @classmethod
    def from_url(cls, url: str) -> SftpTarget:
        parts = urllib.parse.urlsplit(url)
        if parts.password is not None:
            raise Refused(f"Die Adresse „{without_password(url)}“ enthält ein Passwort. Es gehört nicht in "
                          "mkdocs.yml (die Datei liegt im Repository), sondern in die Umgebungsvariable "
                          f"{PASSWORD_VARIABLE}; besser noch: einen SSH-Schlüssel verwenden. Das Passwort aus "
                          "der Adresse löschen.")
        try:
            port = parts.port or 22
        except ValueError:
            port = 0
        if not parts.hostname or not port or not parts.path:
            raise Refused(f"„{url}“ ist keine vollständige SFTP-Adresse. Erlaubt ist "
                          "„sftp://benutzer@server[:port]/pfad“, z. B. „sftp://web123@ssh.example.org/html“; "
                          "„/~/html“ meint den Ordner html im Heimatordner.")
        path = urllib.parse.unquote(parts.path)
        root = path[3:] or "." if path.startswith("/~/") or path == "/~" else path
        user = urllib.parse.unquote(parts.username) if parts.username else None
        return cls(user, parts.hostname, port, root.rstrip("/") or "/", url)

    def read(self, name: str) -> bytes | None:
        return self._run(lambda: self._read(name))

    def write(self, name: str, data: bytes) -> None:
        self._run(lambda: self._write(name, data))

    def write_all(self, files: list[tuple[str, Path]], done: Callable[[], None]) -> None:
        self._run(lambda: self._write_all(files, done))

    def delete(self, name: str) -> None:
        self._run(lambda: self._delete(name))

    def finish(self, message: str) -> None:
        pass

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._runner.run(self._connection.wait_closed())
        self._runner.close()

    def _run(self, work: Callable[[], Awaitable[T]]) -> T:
        try:
            return self._runner.run(self._checked(work))
        except asyncssh.SFTPPermissionDenied as e:
            raise Refused(f"Der Server {self.host} verweigert den Zugriff ({e.reason}). Die Schreibrechte des "
                          f"Benutzers „{self.user}“ für {self.root} beim Webhoster prüfen.") from None
        except (asyncssh.Error, OSError) as e:
            reason = e.reason if isinstance(e, asyncssh.Error) else (e.strerror or type(e).__name__)
            raise Refused(f"Die Übertragung nach {self.host}:{self.port} ist abgebrochen ({reason}). Die "
                          "bisherige Website bleibt erreichbar; den Befehl wiederholen, er setzt fort, wo er "
                          "stehen blieb.") from None

    async def _checked(self, work: Callable[[], Awaitable[T]]) -> T:
        if self._client is None:
            await self._connect()
        return await work()

    async def _connect(self) -> None:
        known_hosts = Path.home() / ".ssh" / "known_hosts"
        try:
            self._connection = await asyncssh.connect(
                self.host, self.port, username=self.user,
                known_hosts=str(known_hosts) if known_hosts.is_file() else asyncssh.import_known_hosts(""),
                password=os.environ.get(PASSWORD_VARIABLE) or None,
                connect_timeout=CONNECT_SECONDS)
        except asyncssh.HostKeyNotVerifiable:
            raise Refused(await self._unknown_host(known_hosts)) from None
        except asyncssh.PermissionDenied:
            raise Refused(f"Der Server {self.host} lehnt die Anmeldung als „{self.user or '(eigener Benutzername)'}“ "
                          "ab. Einen SSH-Schlüssel hinterlegen (im SSH-Agenten oder in ~/.ssh, sein öffentlicher "
                          "Teil beim Webhoster eingetragen) oder das Passwort in der Umgebungsvariable "
                          f"{PASSWORD_VARIABLE} angeben, und den Benutzernamen in der Adresse prüfen.") from None
        except (OSError, asyncio.TimeoutError) as e:
            reason = getattr(e, "strerror", None) or "keine Antwort"
            raise Refused(f"Keine Verbindung zu {self.host}:{self.port} ({reason}). Adresse und Port prüfen, "
                          "und ob der Rechner ins Internet kommt.") from None
        self._client = await self._connection.start_sftp_client()
        try:
            attributes = await self._client.stat(self.root)
        except asyncssh.SFTPNoSuchFile:
            attributes = None
        if attributes is None or not stat.S_ISDIR(attributes.permissions or 0):
            raise Refused(f"Den Zielordner {self.root} gibt es auf {self.host} nicht. Den Ordner beim Webhoster "
                          "anlegen oder den Pfad in der Adresse prüfen.")

    async def _unknown_host(self, known_hosts: Path) -> str:
        try:
            key = await asyncssh.get_server_host_key(self.host, self.port)
            shown = f" Er zeigt den Schlüssel {key.get_fingerprint()}." if key else ""
        except (asyncssh.Error, OSError):
            shown = ""
        port = f" -p {self.port}" if self.port != 22 else ""
        return (f"Der Server {self.host} ist unbekannt: sein Schlüssel steht nicht in {known_hosts}.{shown} Ohne "
                "diese Prüfung könnte sich ein anderer Rechner als der Webspace ausgeben. Den Fingerabdruck des "
                "Schlüssels beim Webhoster erfragen (oft im Kundenmenü unter SSH/SFTP) und vergleichen, dann den "
                f"Schlüssel eintragen: einmal „ssh{port} {self.user + '@' if self.user else ''}{self.host}“ "
                f"aufrufen und die Frage nach dem Fingerabdruck mit „yes“ beantworten, oder „ssh-keyscan{port} "
                f"{self.host} >> {known_hosts}“. Danach den Befehl wiederholen.")

    @property
    def _sftp(self) -> asyncssh.SFTPClient:
        assert self._client is not None, "connected in _checked"
        return self._client

    def _path(self, name: str) -> str:
        return posixpath.join(self.root, name)

    async def _read(self, name: str) -> bytes | None:
        path = self._path(name)
        try:
            if not stat.S_ISREG((await self._sftp.lstat(path)).permissions or 0):
                return None
            async with self._sftp.open(path, "rb") as file:
                data = await file.read()
            assert isinstance(data, bytes), "opened in binary mode"
            return data
        except asyncssh.SFTPNoSuchFile:
            return None

    async def _write_all(self, files: list[tuple[str, Path]], done: Callable[[], None]) -> None:
        limit = asyncio.Semaphore(PARALLEL)

        async def one(name: str, source: Path) -> None:
            async with limit:
                await self._write(name, source.read_bytes())
            done()

        tasks = [asyncio.ensure_future(one(name, source)) for name, source in files]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    async def _write(self, name: str, data: bytes) -> None:
        self._folders_lock = self._folders_lock or asyncio.Lock()
        async with self._folders_lock:  # two files of a new folder must not both create it
            await self._folders_of(name, create=True)
        path, part = self._path(name), self._path(temporary(name))
        async with self._sftp.open(part, "wb") as file:
            await file.write(data)
        try:
            await self._sftp.posix_rename(part, path)
        except asyncssh.SFTPOpUnsupported:  # a server without OpenSSH's extension: replace in two steps
            try:
                await self._sftp.remove(path)
            except asyncssh.SFTPNoSuchFile:
                pass
            await self._sftp.rename(part, path)

    async def _delete(self, name: str) -> None:
        if not await self._folders_of(name, create=False):
            return
        for path in (self._path(name), self._path(temporary(name))):
            try:
                await self._sftp.remove(path)
            except (asyncssh.SFTPNoSuchFile, asyncssh.SFTPFailure):  # gone, or a folder: nothing of ours
                pass
        folder = posixpath.dirname(self._path(name))
        while folder != self.root and folder.startswith(self.root):
            try:
                await self._sftp.rmdir(folder)
            except asyncssh.SFTPError:  # not empty: more of the site, or files not ours
                break
            self._folders.discard(folder)
            folder = posixpath.dirname(folder)

    async def _folders_of(self, name: str, *, create: bool) -> bool:
        """Whether the folders of `name` are real folders inside the root, created if asked: a link among
        them could lead a write or a deletion anywhere. Writing, anything else is refused."""
        folder = self.root
        for part in name.split("/")[:-1]:
            folder = posixpath.join(folder, part)
            if folder in self._folders:
                continue
            try:
                mode = (await self._sftp.lstat(folder)).permissions or 0
            except asyncssh.SFTPNoSuchFile:
                if not create:
                    return False
                await self._sftp.mkdir(folder)
                mode = stat.S_IFDIR
            if not real_folder(mode, create=create, folder=f"{folder} auf {self.host}", root=self.root):
                return False
            self._folders.add(folder)
        return True

