"""The e-mail edition in a MkDocs project: the core's edition (core/email.py) made from the site's
options, pictures and pages, rendered with the project's template `email/issue.html` with its CSS
inlined (css-inline, which loads nothing over the network), and sent over SMTP for a test."""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from PIL import Image, UnidentifiedImageError

from rundbrief.core import Content, Issue, Problem, paths
from rundbrief.core.email import (CONTENT_WIDTH, NO_UNSUBSCRIBE, PORTRAIT_WIDTH, Edition, Link, MailPicture,
                                  Portrait, Rendition, check, choose, edition, portrait, text_part,
                                  unsubscribe_problem)
from rundbrief.core.model import Picture

from .site.config import SiteConfig, SmtpConfig
from .site.images import Pictures

TEMPLATE = "email/issue.html"
CALL = "Ihr Projekt soll im Newsletter oder auf LinkedIn vorkommen? Erzählen Sie uns, woran Sie arbeiten."
EMBLEM_ALT = "Emblem der Europäischen Union"
EMBLEM_WIDTH = 90  # shown, as in the site's footer; the PNG is twice as wide
PASSWORD = "RUNDBRIEF_SMTP_PASSWORD"
# Inline the template's plain rules, keep its @media rules in a <style> block, load nothing.
_CHARSET = '<meta charset="utf-8">'
_EMBLEM_FORMATS = ("PNG", "JPEG", "GIF")
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


class Refusal(Exception):
    """The edition cannot be made or sent: the message says why in German, naming what to change."""


@dataclass(frozen=True)
class Mail:
    edition: Edition
    html: str
    text: str
    problems: list[Problem]


class Editions:
    """Makes the e-mail editions of one project's issues."""

    def __init__(self, root: Path, config: MkDocsConfig, options: SiteConfig, content: Content, pictures: Pictures):
        self.root, self.config, self.options, self.content, self.pictures = root, config, options, content, pictures
        if not config.site_url:
            raise Refusal("Die E-Mail braucht absolute Adressen, aber „site_url“ fehlt in mkdocs.yml. Erlaubt ist die "
                          "Adresse der Website, z. B. „site_url: https://www.aktif-vernetzt.de/“.")
        self.site_url = config.site_url if config.site_url.endswith("/") else config.site_url + "/"
        folder = Path(config.theme.custom_dir) if config.theme.custom_dir else root / "overrides"
        self.template_path = _shown(folder / TEMPLATE, root)
        self.env = Environment(loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined)
        self.emblem = self._emblem()

    def make(self, issue: Issue, html: str, tool: str) -> Mail:
        """The edition of `issue` from its published HTML, rendered and checked."""
        options = self.options.email
        if problem := unsubscribe_problem(tool, options.unsubscribe):
            raise Refusal(problem)
        made = edition(
            issue, html, tool=tool, unsubscribe=options.unsubscribe, site_url=self.site_url,
            site_name=self.config.site_name, portraits=self._portraits(issue),
            picture=self._picture(issue.picture) if issue.picture else None, emblem=self.emblem,
            eu_statement=self.options.funding.eu_statement, funder=self.options.funding.funder,
            legal=[Link(label, self.site_url + self._url(page)) for label, page in self.options.legal_pages.items()],
            call=Link(CALL, self.site_url + self._url(options.contact_page)) if self._has(options.contact_page) else None,
            subscribe=Link(self.options.subscribe.title, self.site_url + paths.SUBSCRIBE)
            if self.options.subscribe.action else None)
        html = self.render(made)
        text = text_part(made)
        problems = check(html, text, issue_path=issue.path, template=self.template_path, tool=tool,
                         unsubscribe=made.unsubscribe)
        return Mail(made, html, text, problems)

    def render(self, made: Edition) -> str:
        try:
            template = self.env.get_template(TEMPLATE)
        except TemplateNotFound:
            raise Refusal(f"Die Vorlage der E-Mail fehlt: {self.template_path}. Erlaubt ist die Vorlage aus "
                          "Rundbriefs Ordner overrides/email/, kopiert in den Ordner der Vorlagen (theme: custom_dir).") from None
        html = _INLINER.inline(template.render(edition=made, no_unsubscribe=NO_UNSUBSCRIBE))
        # The inliner puts the kept <style> first in <head>; the charset belongs in the first 1024 bytes.
        if _CHARSET in html:
            html = html.replace(_CHARSET, "", 1).replace("<head>", "<head>" + _CHARSET, 1)
        return html if html.endswith("\n") else html + "\n"  # as the message carries it

    def _portraits(self, issue: Issue) -> dict[str, Portrait]:
        by_slug = self.content.by_slug()
        found = {}
        for section in issue.sections:
            if section.name != self.options.portrait_section:
                continue
            for item in section.items:
                project = next((by_slug[slug] for slug in item.projects if slug in by_slug), None)
                if project:
                    picture = self._picture(project.picture, PORTRAIT_WIDTH) if project.picture else None
                    found[item.id] = portrait(project, self.site_url, picture)
        return found

    def _picture(self, picture: Picture, shown: int | None = None) -> MailPicture | None:
        derived = self.pictures.derived.get(picture.src)
        if derived is None:
            return None
        renditions = [Rendition(self.site_url + self.pictures.url(r.name, None), r.width, r.height)
                      for r in derived.of_type(derived.fallback)]
        return choose(renditions, picture.alt, shown or CONTENT_WIDTH)

    def _emblem(self) -> MailPicture:
        src = self.options.email.eu_emblem
        file = Path(self.config.docs_dir) / src
        refusal = f"Das EU-Emblem für die E-Mail, „{src}“ aus „rundbrief: email: eu_emblem“, "
        try:
            with Image.open(file, formats=_EMBLEM_FORMATS) as image:  # no other decoder reads it (an EPS named .png)
                width, height, kind = image.width, image.height, image.format
        except FileNotFoundError:
            raise Refusal(refusal + f"fehlt in {_shown(Path(self.config.docs_dir), self.root)}/. Erlaubt ist ein PNG "
                          "darin, doppelt so breit wie gezeigt (180 × 120 Pixel); E-Mail-Programme zeigen kein SVG.") from None
        except (OSError, UnidentifiedImageError):
            kind = None
        if kind not in _EMBLEM_FORMATS:
            raise Refusal(refusal + "ist kein PNG. Erlaubt ist ein PNG (oder JPEG, GIF): E-Mail-Programme zeigen kein "
                          "SVG.")
        shown = min(EMBLEM_WIDTH, width // 2) or width
        return MailPicture(self.site_url + src, shown, round(shown * height / width), EMBLEM_ALT)

    def _has(self, src: str) -> bool:
        return bool(src) and (Path(self.config.docs_dir) / src).is_file()

    def _url(self, src: str) -> str:
        """The address of a page of docs_dir, relative to the site's root."""
        return File(src, self.config.docs_dir, self.config.site_dir, self.config.use_directory_urls).url


def _shown(path: Path, root: Path) -> str:
    """A path as editors see it: relative to the project where it lies inside, else by its last folders."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(*path.parts[-3:]).as_posix()


def send(message: EmailMessage, smtp: SmtpConfig, password: str | None, timeout: float = 20) -> None:
    """Sends over SMTP; any failure is a Refusal naming the setting to check."""
    host, port, security, user = smtp.host, smtp.port, smtp.security, smtp.user
    if not host:
        raise Refusal("Für --send-test fehlt der SMTP-Server: in mkdocs.yml unter „rundbrief: email: smtp:“ "
                      "„host:“ eintragen, z. B. „host: smtp.example.org“, dazu „port:“, „security:“ und „user:“.")
    if user and not password:
        raise Refusal(f"Für die Anmeldung als „{user}“ am SMTP-Server fehlt das Passwort: es steht nur in der "
                      f"Umgebungsvariablen {PASSWORD}, nie in mkdocs.yml, z. B. „export {PASSWORD}=…“.")
    where = f"{host}:{port}"
    step = "connect"
    try:
        context = ssl.create_default_context()
        server = (smtplib.SMTP_SSL(host, port, timeout=timeout, context=context) if security == "ssl"
                  else smtplib.SMTP(host, port, timeout=timeout))
        with server:
            if security == "starttls":
                step = "starttls"
                server.starttls(context=context)
            if user:
                step = "login"
                server.login(user, password or "")
            step = "send"
            server.send_message(message)
    except socket.gaierror:
        raise Refusal(f"Den SMTP-Server „{host}“ gibt es nicht, oder er ist von hier aus nicht zu finden: "
                      "„rundbrief: email: smtp: host“ in mkdocs.yml prüfen.") from None
    except ConnectionRefusedError:
        raise Refusal(f"Der SMTP-Server {host} nimmt auf Port {port} keine Verbindung an: „rundbrief: email: smtp: "
                      "port“ in mkdocs.yml prüfen (meist 587 mit „security: starttls“, 465 mit „security: ssl“).") from None
    except smtplib.SMTPAuthenticationError:
        raise _refused_login(where, user) from None
    except smtplib.SMTPNotSupportedError:
        if step == "login":
            raise Refusal(f"Der SMTP-Server {where} bietet keine Anmeldung an: „rundbrief: email: smtp: user“ "
                          "weglassen, oder „security: starttls“ setzen, wenn er sie erst verschlüsselt anbietet.") from None
        raise Refusal(f"Der SMTP-Server {where} verschlüsselt nicht mit STARTTLS: „rundbrief: email: smtp: "
                      "security“ in mkdocs.yml prüfen (ssl für Port 465; none nur für einen Server auf diesem "
                      "Rechner).") from None
    except smtplib.SMTPRecipientsRefused as e:
        refused = ", ".join(e.recipients)
        raise Refusal(f"Der SMTP-Server {where} nimmt keine E-Mail an „{refused}“ an: die Adresse bei "
                      "--send-test prüfen.") from None
    except smtplib.SMTPSenderRefused as e:
        raise Refusal(f"Der SMTP-Server {where} nimmt keine E-Mail von „{e.sender}“ an: „rundbrief: email: sender“ "
                      "in mkdocs.yml prüfen; viele Server verlangen die Adresse des angemeldeten Kontos.") from None
    except (ssl.SSLError, smtplib.SMTPServerDisconnected):
        if step == "login":  # some servers hang up on a wrong password
            raise _refused_login(where, user) from None
        if step == "send":
            raise Refusal(f"Der SMTP-Server {where} hat die Verbindung beendet, bevor die E-Mail versandt war: "
                          "später noch einmal versuchen, sonst „rundbrief: email: smtp:“ in mkdocs.yml prüfen.") from None
        raise Refusal(f"Die verschlüsselte Verbindung zu {where} ist gescheitert: „rundbrief: email: smtp: "
                      "security“ in mkdocs.yml prüfen (starttls für Port 587, ssl für Port 465).") from None
    except TimeoutError:
        raise Refusal(f"Der SMTP-Server {where} antwortet nicht: „rundbrief: email: smtp: host“ und „port“ in "
                      "mkdocs.yml prüfen.") from None
    except smtplib.SMTPException as e:
        raise Refusal(f"Der SMTP-Server {where} hat den Versand abgelehnt ({e}): „rundbrief: email: smtp:“ in "
                      "mkdocs.yml prüfen.") from None
    except OSError as e:
        raise Refusal(f"Keine Verbindung zum SMTP-Server {where} ({e.strerror or e}): „rundbrief: email: smtp: "
                      "host“ und „port“ in mkdocs.yml prüfen.") from None


def _refused_login(where: str, user: str | None) -> Refusal:
    return Refusal(f"Der SMTP-Server {where} hat die Anmeldung als „{user}“ abgelehnt: „rundbrief: email: smtp: user“ "
                   f"in mkdocs.yml und das Passwort in {PASSWORD} prüfen.")
