"""The e-mail edition (`rundbrief email`), its checks, the test send over SMTP, and the subscription page."""

from __future__ import annotations

import email
import email.policy
import logging
import re
import shutil
import socket
import textwrap
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from PIL import Image, ImageChops

from conftest import REPO
from content import issue, profile
from rundbrief.core.email import (CLIP_LIMIT, NO_UNSUBSCRIBE, Rendition, check, choose, option_problems,
                                  sender_problem)
from rundbrief.core.emblem import rasterise

ISSUE = "2024-12-13-die-vernetzungsstelle-informiert"
WEB = f"https://www.aktif-vernetzt.de/newsletters/{ISSUE}/"
SUBJECT = "Die Vernetzungsstelle informiert (13. Dezember 2024)"  # the headline, as in feeds and tabs
SENDER = "Akti(F) Plus Vernetzungsstelle <newsletter@example.org>"
TEMPLATE = "overrides/email/issue.html"


def options(site, text: str) -> None:
    """Replaces the sample's `email:` options of the rundbrief plugin by `text` (YAML below `- rundbrief:`)."""
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"      email:.*?\n(?=      #)", "", config, flags=re.S)
    config = config.replace("  - rundbrief:\n", "  - rundbrief:\n" + textwrap.indent(textwrap.dedent(text), "      "))
    (site.root / "mkdocs.yml").write_text(config, encoding="utf-8")


def made(site, run, *args: str, name: str = ISSUE):
    result = run(site, "email", name, "--out", str(site.root / "mail"), *args)
    return result, site.root / "mail" / name


def parts(path: Path) -> tuple[EmailMessage, str, str]:
    message = email.message_from_bytes(path.with_suffix(".eml").read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return message, text.get_content(), html.get_content()


def linked(html: str, url: str, text: str) -> bool:
    """Whether `html` links `url` with `text`, whatever style the inliner gave the link."""
    return re.search(rf'<a href="{re.escape(url)}"(?: style="[^"]*")?>{re.escape(text)}</a>', html) is not None


def _from(message: EmailMessage) -> tuple[str, str]:
    [address] = message["From"].addresses
    return address.display_name, address.addr_spec


# The files and the message


def test_the_edition_as_html_text_and_multipart_message(sample, run):
    result, path = made(sample, run, "--tool", "cleverreach")
    assert result.exit_code == 0, result.output
    assert "Warnung" not in result.output and "Fehler" not in result.output  # the template passes its own checks
    message, text, html = parts(path)
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Subject"] == SUBJECT and _from(message) == ("Akti(F) Plus Vernetzungsstelle", "newsletter@example.org")
    assert html == path.with_suffix(".html").read_text(encoding="utf-8")
    assert text == path.with_suffix(".txt").read_text(encoding="utf-8")
    # Made for mail clients
    assert re.match(r'<!DOCTYPE html><html lang="de" dir="ltr"><head><meta charset="utf-8">', html)
    assert 'role="presentation"' in html and 'width="600"' in html
    assert "<!--[if mso]>" in html and "<![endif]-->" in html
    assert "prefers-color-scheme: dark" in html and "max-width: 620px" in html  # kept in <style>
    assert re.search(r'<td class="rb-masthead" style="[^"]*background-color: #283593', html)  # inlined
    assert not re.search(r"<(script|iframe|object|embed|form)\b|<link\b", html)
    assert "<!--" not in re.sub(r"<!--\[if [^\]]*\]>|<!\[endif\]-->", "", html)
    # Preheader with its spacer, web view, item titles linking to their anchors
    assert re.search(r'<div class="rb-preheader"[^>]*>Ein bunter Bus in Düren, .*?Jahresende\.(\u034f\u200c&nbsp;){90}</div>', html)
    assert linked(html, WEB, "Im Browser lesen")
    assert linked(html, f"{WEB}#karad-mit-dem-bunten-bus-zu-den-familien", "KArAD: Mit dem bunten Bus zu den Familien")
    assert linked(html, f"{WEB}#empfehlungen-des-deutschen-vereins", "Empfehlungen des Deutschen Vereins")
    # Profile links absolute, the portrait's facts, German typography
    assert linked(html, "https://www.aktif-vernetzt.de/projects/bremer-stadtteileltern/", "Bremer Stadtteileltern")
    assert "Träger: low-tec" in html and "Ort: Düren" in html and "Land: Nordrhein-Westfalen" in html
    assert "„radioaktiv“" in html and "Mitstreiter*innen" in html
    # Every address absolute, or the tool's placeholder
    urls = re.findall(r'\s(?:href|src)="([^"]*)"', html)
    assert urls and all(url.startswith(("https://", "mailto:")) or url == "{UNSUBSCRIBE}" for url in urls), urls
    # Pictures: a fallback rendition at least twice the shown width, width at most 600, alt text
    images = re.findall(r"<img\b[^>]*>", html)
    assert len(images) == 3
    for img in images:
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', img))
        assert attributes["alt"] and int(attributes["width"]) <= 600
        assert attributes["src"].startswith("https://www.aktif-vernetzt.de/assets/")
        assert not attributes["src"].endswith((".webp", ".avif", ".svg"))
        rendition = re.search(r"-(\d+)\.(jpg|png)$", attributes["src"])
        if rendition:
            assert int(rendition[1]) >= 2 * int(attributes["width"])
    # Funding, legal pages, unsubscribe
    assert ('src="https://www.aktif-vernetzt.de/assets/images/eu-emblem.png" width="90" height="60" '
            'alt="Emblem der Europäischen Union"') in html
    assert "Kofinanziert von der Europäischen Union" in html and "Gefördert durch: Bundesministerium für Arbeit und Soziales" in html
    assert linked(html, "https://www.aktif-vernetzt.de/impressum/", "Impressum")
    assert linked(html, "https://www.aktif-vernetzt.de/datenschutz/", "Datenschutz")
    assert linked(html, "{UNSUBSCRIBE}", "Newsletter abbestellen")
    assert len(html.encode()) < CLIP_LIMIT


def test_a_picture_in_an_item_is_one_img_of_a_rendition_twice_as_wide(site, run):
    profile(site)
    issue(site, "2025-02-01-bild", date="2025-02-01", body="""
        ## Vorgestellt

        ### Der Bus

        ![Zeichnung: ein bunter Bus auf einer Straße](../assets/images/bunter-bus.png)

        Text über [KArAD](../projects/karad.md).
        """)
    result, path = made(site, run, "--tool", "listmonk", name="2025-02-01-bild")
    assert result.exit_code == 0, result.output
    _, text, html = parts(path)
    assert "<picture" not in html and "<source" not in html and "srcset" not in html
    img = re.search(r'<img src="(https://www\.aktif-vernetzt\.de/assets/pictures/[0-9a-f]+-(\d+)\.(?:jpg|png))" '
                    r'width="(\d+)" height="\d+" alt="Zeichnung: ein bunter Bus auf einer Straße"', html)
    assert img and int(img[2]) >= 2 * int(img[3]) and int(img[3]) == 552
    assert "[Bild: Zeichnung: ein bunter Bus auf einer Straße]" in text


def test_the_text_part_is_written_from_the_model_with_numbered_links(sample, run):
    _, path = made(sample, run, "--tool", "mailchimp")
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert text.startswith("Die Vernetzungsstelle informiert\n13. Dezember 2024\n\nEin bunter Bus in Düren")
    assert f"Im Browser lesen: {WEB}\n" in text
    assert "\nVORGESTELLT\n===========\n\nKArAD: Mit dem bunten Bus zu den Familien\u00a0[1]\n" in text
    assert f"\n[1] {WEB}#karad-mit-dem-bunten-bus-zu-den-familien\n" in text
    number = re.search(r"die Bremer Stadtteileltern\u00a0\[(\d+)\]", text)[1]  # never at a line's start
    assert f"\n[{number}] https://www.aktif-vernetzt.de/projects/bremer-stadtteileltern/\n" in text
    assert "Steckbrief KArAD\u00a0[2]: Träger: low-tec; Ort: Düren; Land:\nNordrhein-Westfalen" in text
    # Paragraphs as written in one line each, wrapped at 72 characters; a URL stays whole
    assert "Danke an alle Mitstreiter*innen in den Projekten und an die\nVertreter*innen" in text
    assert all(len(line) <= 72 or "https://" in line for line in text.splitlines())
    assert "Mitstreiter*innen" in text and "„radioaktiv“" in text
    assert "Kofinanziert von der Europäischen Union\nGefördert durch: Bundesministerium für Arbeit und Soziales\n" in text
    assert "Impressum: https://www.aktif-vernetzt.de/impressum/\n" in text
    assert text.endswith("Abmelden: *|UNSUB|*\n")
    assert "<" not in text.replace("<newsletter", "")


@pytest.mark.parametrize(("tool", "placeholder"), [
    ("cleverreach", "{UNSUBSCRIBE}"), ("mailchimp", "*|UNSUB|*"), ("listmonk", "{{ UnsubscribeURL }}")])
def test_each_tool_gets_its_unsubscribe_placeholder(sample, run, tool, placeholder):
    result, path = made(sample, run, "--tool", tool)
    assert result.exit_code == 0, result.output
    _, text, html = parts(path)
    assert linked(html, placeholder, "Newsletter abbestellen")
    assert f"Abmelden: {placeholder}\n" in text


def test_the_tool_comes_from_the_options(sample, run):
    options(sample, f"""\
        email:
          tool: listmonk
          sender: "{SENDER}"
        """)
    result, path = made(sample, run)
    assert result.exit_code == 0, result.output
    assert "{{ UnsubscribeURL }}" in path.with_suffix(".html").read_text(encoding="utf-8")


def test_rapidmail_needs_its_placeholder_from_the_options(sample, run):
    result, path = made(sample, run, "--tool", "rapidmail")
    assert result.exit_code == 1 and not path.with_suffix(".html").exists()
    assert ("Fehler: Den Platzhalter von rapidmail für den Abmeldelink hat Rundbrief nicht in rapidmails Dokumentation "
            "prüfen können. Erlaubt ist rapidmail nur mit dem Platzhalter aus der rapidmail-Hilfe in mkdocs.yml, unter "
            "„rundbrief: email: unsubscribe:“.") in result.output
    options(sample, """\
        email:
          unsubscribe: "%%abmelden%%"
        """)
    result, path = made(sample, run, "--tool", "rapidmail")
    assert result.exit_code == 0, result.output
    assert linked(path.with_suffix(".html").read_text(encoding="utf-8"), "%%abmelden%%", "Newsletter abbestellen")


def test_file_has_no_unsubscribe_link_and_says_so(sample, run):
    result, path = made(sample, run, "--tool", "file")
    assert result.exit_code == 0
    assert "Hinweis: Die E-Mail ist für kein Versandwerkzeug gemacht (--tool file) und hat deshalb keinen Abmeldelink" in result.output
    _, text, html = parts(path)
    assert f"Abbestellen: {NO_UNSUBSCRIBE}" in html and f"Abmelden: {NO_UNSUBSCRIBE}\n" in text
    assert "abbestellen</a>" not in html


def test_the_command_speaks_german(sample, run):
    result = run(sample, "email", "--help")
    assert result.output.startswith("Aufruf: rundbrief email [OPTIONEN] AUSGABE\n")
    assert "--send-test ADRESSE" in result.output and "Options" not in result.output
    listing = run(sample, "--help").output
    assert re.search(r"^  email +Macht aus einer Ausgabe eine E-Mail für das Versandwerkzeug\.$", listing, re.M)
    result = run(sample, "email", ISSUE, "--tool", "sendgrid")
    assert result.exit_code == 2
    assert ("Fehler: Ungültiger Wert für '--tool': 'sendgrid' ist keiner von 'cleverreach', 'mailchimp', 'listmonk', "
            "'rapidmail', 'file'.") in result.output


def test_default_folder_is_beside_the_site(sample, run):
    result = run(sample, "email", ISSUE, "--tool", "listmonk")
    assert result.exit_code == 0
    assert sorted(p.name for p in (sample.root / "email").iterdir()) == [f"{ISSUE}.{e}" for e in ("eml", "html", "txt")]


# Refusals


def test_a_draft_is_refused_naming_its_file(sample, run):
    issue(sample, "2025-01-10-entwurf", date="2025-01-10", front="draft: true\n")
    result, path = made(sample, run, name="2025-01-10-entwurf")
    assert result.exit_code == 1 and not path.with_suffix(".eml").exists()
    assert "Fehler: newsletters/2025-01-10-entwurf.md ist ein Entwurf („draft: true“)" in result.output


def test_an_unknown_issue_is_refused_with_those_there_are(sample, run):
    result, _ = made(sample, run, name="2024-13-99")
    assert result.exit_code == 1
    assert "Fehler: Keine Ausgabe „2024-13-99“. Vorhanden: 2024-05-29-beraten-coachen-vernetzen, 2024-06-25-auftakt" in result.output


def test_a_scheduled_issue_gets_a_warning_that_its_page_is_not_online_yet(sample, run):
    issue(sample, "2099-03-01-geplant", date="2099-03-01 09:00", title="Geplant")
    result, path = made(sample, run, "--tool", "cleverreach", name="2099-03-01-geplant")
    assert result.exit_code == 0, result.output
    assert ("newsletters/2099-03-01-geplant.md:1: Warnung: Die Ausgabe ist geplant und erscheint erst am 1. März 2099 "
            "um 9:00 Uhr: bis dahin ist ihre Seite nicht online") in result.output
    assert linked(path.with_suffix(".html").read_text(encoding="utf-8"),
                  "https://www.aktif-vernetzt.de/newsletters/2099-03-01-geplant/", "Im Browser lesen")


def test_an_edition_over_gmails_clipping_limit_is_an_error(site, run):
    profile(site)
    paragraphs = "\n\n".join(f"Absatz {n}: " + "Familien im Programm Akti(F) Plus erzählen. " * 20 for n in range(130))
    issue(site, "2025-02-01-lang", date="2025-02-01", body=f"\n## Vorgestellt\n\n### Lang\n\n{paragraphs}\n")
    result, path = made(site, run, "--tool", "cleverreach", "--send-test", "leser@example.org",
                        name="2025-02-01-lang")
    assert result.exit_code == 1
    assert re.search(r"newsletters/2025-02-01-lang\.md:1: Die E-Mail ist zu groß: Ihr HTML-Teil hat 1\d\d\.\d KB\. "
                     r"Gmail kürzt E-Mails ab 102 KB", result.output)
    assert "Fehler: Die E-Mail hat 1 Fehler: so nicht versenden." in result.output
    assert "Nichts zur Probe verschickt." in result.output
    assert path.with_suffix(".html").exists()  # to look at
    check_result = run(site, "check")
    assert "newsletters/2025-02-01-lang.md:1: Warnung: E-Mail-Ausgabe: Die E-Mail ist zu groß" in check_result.output


def test_the_size_limit_is_102_kb():
    text = "Abmelden: {UNSUBSCRIBE}"
    page = '<a href="{UNSUBSCRIBE}">x</a>'
    at_limit = page + "x" * (CLIP_LIMIT - len(page))
    assert check(at_limit, text, issue_path="i.md", template=TEMPLATE, tool="cleverreach", unsubscribe="{UNSUBSCRIBE}") == []
    over = check(at_limit + "ä", text, issue_path="i.md", template=TEMPLATE, tool="cleverreach", unsubscribe="{UNSUBSCRIBE}")
    assert [p.message[:43] for p in over] == ["Die E-Mail ist zu groß: Ihr HTML-Teil hat 1"]


def test_a_picture_without_alt_text_is_an_error():
    html = '<img src="https://www.aktif-vernetzt.de/a.png" width="100" height="50"><img src="https://x.org/b.png" alt="">'
    problems = check(html, "", issue_path="newsletters/x.md", template=TEMPLATE, tool="file", unsubscribe=None)
    assert [str(p) for p in problems] == [
        "newsletters/x.md:1: Ein Bild der E-Mail hat keinen Alternativtext: https://www.aktif-vernetzt.de/a.png. Viele "
        "E-Mail-Programme zeigen Bilder erst nach einem Klick, Screenreader lesen nur den Text. Erlaubt sind Bilder mit "
        "Alternativtext, z. B. „![Zeichnung: ein bunter Bus](../assets/images/bus.png)“."]


def test_css_that_gmail_or_outlook_ignore_is_a_warning():
    html = ('<p style="border-radius: 4px; color: #111; padding: 0 0 12px;">x</p>'
            '<div style="display: flex; margin-inline: 2rem;">y</div>')
    problems = check(html, "", issue_path="i.md", template=TEMPLATE, tool="file", unsubscribe=None)
    assert all(p.severity == "warning" and p.path == TEMPLATE for p in problems)
    messages = "\n".join(p.message for p in problems)
    assert ("Die E-Mail nutzt CSS, das Outlook für Windows nicht unterstützen: „border-radius: 4px“ (border-radius, laut "
            "caniemail.com, getestet") in messages
    assert "„display: flex“ (display:flex" in messages
    assert "das Gmail und Outlook für Windows nicht unterstützen: „margin-inline: 2rem“ (margin-inline & margin-block" in messages
    assert "(rem unit" in messages  # Outlook ignores rem
    assert "color" not in re.findall(r"„(\w[\w-]*):", messages) and "padding" not in messages


def test_a_missing_unsubscribe_placeholder_is_an_error():
    problems = check("<p>Kein Link</p>", "Abmelden: *|UNSUB|*", issue_path="i.md", template=TEMPLATE, tool="mailchimp",
                     unsubscribe="*|UNSUB|*")
    assert [str(p) for p in problems] == [
        f"{TEMPLATE}:1: Der Abmeldelink von Mailchimp fehlt im HTML-Teil: „*|UNSUB|*“ kommt dort nicht vor. Jede Ausgabe "
        "eines Newsletters braucht ihn (§ 7 UWG). Erlaubt ist die E-Mail nur mit diesem Platzhalter, den das Werkzeug "
        "beim Versand durch den Link ersetzt."]


def test_what_mail_clients_block_or_cannot_resolve_is_an_error():
    html = ('<!--[if mso]><table><tr><td><![endif]--><script>x()</script><link rel="stylesheet" href="https://x.org/s.css">'
            '<!-- Notiz der Redaktion --><a href="../kontakt/">Kontakt</a><iframe src="https://x.org"></iframe>'
            '<a href="{UNSUBSCRIBE}">ab</a><!--[if mso]></td></tr></table><![endif]-->')
    problems = check(html, "{UNSUBSCRIBE}", issue_path="i.md", template=TEMPLATE, tool="cleverreach", unsubscribe="{UNSUBSCRIBE}")
    messages = [p.message for p in problems]
    assert all(p.severity == "error" for p in problems)
    assert messages[0].startswith("Nicht erlaubt in einer E-Mail: Skripte („<script>“).")
    assert messages[1].startswith("Nicht erlaubt in einer E-Mail: eingebettete Seiten (iframe) („<iframe>“).")
    assert messages[2].startswith("Nicht erlaubt in einer E-Mail: ein verlinktes Stylesheet („<link>“).")
    assert messages[3].startswith("Nicht erlaubt in einer E-Mail: ein HTML-Kommentar („<!-- … -->“).")
    assert messages[4].startswith("Die Adresse „../kontakt/“ in der E-Mail ist relativ")
    assert len(messages) == 5


def test_a_template_without_the_placeholder_fails_the_command_and_warns_in_check(sample, run):
    shutil.copytree(REPO / "overrides", sample.root / "overrides")
    template = sample.root / TEMPLATE
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace('<a href="{{ edition.unsubscribe | e }}">Newsletter abbestellen</a>', ""), encoding="utf-8")
    config = (sample.root / "mkdocs.yml").read_text(encoding="utf-8")
    (sample.root / "mkdocs.yml").write_text(re.sub(r"custom_dir: .*", "custom_dir: overrides", config), encoding="utf-8")
    options(sample, """\
        email:
          tool: cleverreach
        """)
    result, path = made(sample, run)
    assert result.exit_code == 1
    assert f"{TEMPLATE}:1: Der Abmeldelink von CleverReach fehlt im HTML-Teil: „{{UNSUBSCRIBE}}“" in result.output
    assert path.with_suffix(".html").exists()
    check_result = run(sample, "check")
    assert check_result.exit_code == 0
    assert f"{TEMPLATE}:1: Warnung: E-Mail-Ausgabe: Der Abmeldelink von CleverReach fehlt im HTML-Teil" in check_result.output


def test_a_missing_template_or_site_url_is_named(sample, run):
    shutil.copytree(REPO / "overrides", sample.root / "overrides")
    (sample.root / TEMPLATE).unlink()
    config = (sample.root / "mkdocs.yml").read_text(encoding="utf-8")
    (sample.root / "mkdocs.yml").write_text(re.sub(r"custom_dir: .*", "custom_dir: overrides", config), encoding="utf-8")
    result, _ = made(sample, run, "--tool", "cleverreach")
    assert result.exit_code == 1
    assert f"Fehler: Die Vorlage der E-Mail fehlt: {TEMPLATE}. Erlaubt ist die Vorlage aus Rundbriefs Ordner" in result.output
    config = (sample.root / "mkdocs.yml").read_text(encoding="utf-8")
    (sample.root / "mkdocs.yml").write_text(re.sub(r"site_url: .*\n", "", config) + "\n", encoding="utf-8")
    options(sample, "feed: {enabled: false}\n")
    config = (sample.root / "mkdocs.yml").read_text(encoding="utf-8")
    (sample.root / "mkdocs.yml").write_text(config.replace("      linkedin:\n", "      linkedin:\n        enabled: false\n"),
                                            encoding="utf-8")
    result, _ = made(sample, run, "--tool", "cleverreach")
    assert result.exit_code == 1
    assert "Fehler: Die E-Mail braucht absolute Adressen, aber „site_url“ fehlt in mkdocs.yml." in result.output


def test_check_of_the_sample_finds_nothing_wrong_with_its_edition(sample, run):
    options(sample, """\
        email:
          tool: mailchimp
        """)
    result = run(sample, "check")
    assert "E-Mail-Ausgabe" not in result.output


@pytest.mark.parametrize(("option", "message"), [
    ("email: {tool: sendgrid}", "„rundbrief: email: tool: sendgrid“ ist kein bekanntes Versandwerkzeug. Erlaubt sind: "
     "cleverreach, mailchimp, listmonk, rapidmail, file."),
    ("email: {smtp: {security: tls}}", "„rundbrief: email: smtp: security: tls“ ist unbekannt. Erlaubt sind starttls"),
    ("email: {sender: newsletter}", "„rundbrief: email: sender: newsletter“ ist keine Absenderadresse."),
    ("subscribe: {action: 'http://example.org/form'}", "„rundbrief: subscribe: action: http://example.org/form“ ist "
     "keine Adresse mit https://."),
    ("subscribe: {action: 'https://example.org/form', provider: brevo}", "„rundbrief: subscribe: provider: brevo“ ist "
     "unbekannt. Erlaubt sind listmonk, cleverreach, rapidmail, buttondown, mailchimp"),
])
def test_wrong_options_fail_the_build_in_german(site, option, message):
    options(site, option + "\n")
    assert message in site.build_fails()


def test_the_sender_may_have_a_name():
    assert sender_problem("Akti(F) Plus Vernetzungsstelle <newsletter@example.org>") is None
    assert sender_problem("newsletter@example.org") is None
    assert sender_problem("Vernetzungsstelle <newsletter>") is not None
    assert option_problems("file", "starttls", None) == []


# Pictures and the emblem


def test_a_rendition_at_least_twice_the_shown_width():
    renditions = [Rendition(f"https://x.org/p-{w}.jpg", w, w // 2) for w in (480, 960, 1600)]
    wide = choose(renditions, "Bild")
    assert (wide.url, wide.width, wide.height) == ("https://x.org/p-1600.jpg", 552, 276)
    small = choose(renditions, "Bild", 160)
    assert (small.url, small.width) == ("https://x.org/p-480.jpg", 160)
    narrow = choose([Rendition("https://x.org/n-700.jpg", 700, 350)], "Bild")
    assert (narrow.width, narrow.height) == (350, 175)  # half its width: sharp on high-density screens


def test_the_emblem_png_is_the_sites_svg_rasterised(tmp_path):
    drawn = tmp_path / "emblem.png"
    drawn.write_bytes(rasterise((REPO / "content/assets/images/eu-emblem.svg").read_text(encoding="utf-8"), 180))
    with Image.open(drawn) as fresh, Image.open(REPO / "content/assets/images/eu-emblem.png") as shipped:
        assert shipped.size == (180, 120) and shipped.format == "PNG"
        assert ImageChops.difference(fresh.convert("RGB"), shipped.convert("RGB")).getbbox() is None
        assert shipped.convert("RGB").getpixel((5, 5)) == (0, 51, 153)  # #039, the emblem's blue


def test_an_emblem_that_is_no_png_is_refused(sample, run):
    options(sample, """\
        email:
          eu_emblem: assets/images/eu-emblem.svg
        """)
    result, _ = made(sample, run, "--tool", "cleverreach")
    assert result.exit_code == 1
    assert ("Fehler: Das EU-Emblem für die E-Mail, „assets/images/eu-emblem.svg“ aus „rundbrief: email: eu_emblem“, "
            "ist kein PNG. Erlaubt ist ein PNG (oder JPEG, GIF): E-Mail-Programme zeigen kein SVG.") in result.output


def test_a_missing_emblem_png_is_named(sample, run):
    (sample.root / "content/assets/images/eu-emblem.png").unlink()
    result, _ = made(sample, run, "--tool", "cleverreach")
    assert result.exit_code == 1
    assert ("Fehler: Das EU-Emblem für die E-Mail, „assets/images/eu-emblem.png“ aus „rundbrief: email: eu_emblem“, "
            "fehlt in content/.") in result.output
    assert ("mkdocs.yml:1: Warnung: E-Mail-Ausgabe: Das EU-Emblem für die E-Mail, „assets/images/eu-emblem.png“"
            in run(sample, "check").output)


# The test send


class Sink:
    """An SMTP server on 127.0.0.1 that keeps what it receives; `refuse` names the step ("MAIL" or
    "RCPT") at which it answers 550."""

    refuse: str | None = None

    async def handle_MAIL(self, server, session, envelope, address, options):
        if self.refuse == "MAIL":
            return "550 5.7.1 Absender nicht erlaubt"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.refuse == "RCPT":
            return "550 5.1.1 Unbekannter Empfänger"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def __init__(self, password: str | None = None):
        logging.getLogger("mail.log").setLevel(logging.ERROR)  # its warnings about AUTH without TLS, meant so here
        self.received: list[tuple[str, list[str], bytes]] = []
        self.password = password
        kwargs = {}
        if password is not None:
            kwargs = {"authenticator": self.authenticate, "auth_require_tls": False, "auth_required": True}
        self.controller = Controller(self, hostname="127.0.0.1", port=_free_port(), **kwargs)

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"redaktion" and auth_data.password == (self.password or "").encode()
        return AuthResult(success=ok)

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.original_content))
        return "250 OK"


@pytest.fixture
def sink():
    sinks = []

    def starting(password: str | None = None) -> Sink:
        sinks.append(Sink(password))
        sinks[-1].controller.start()
        return sinks[-1]

    yield starting
    for started in sinks:
        started.controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _smtp(site, port: int, extra: str = "") -> None:
    options(site, f"""\
        email:
          tool: cleverreach
          sender: "{SENDER}"
          smtp: {{host: 127.0.0.1, port: {port}, security: none{extra}}}
        """)


def test_the_test_send_reaches_the_smtp_server_part_by_part(sample, run, sink):
    server = sink()
    _smtp(sample, server.controller.port)
    result, path = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 0, result.output
    assert "Zur Probe verschickt an leserin@example.org." in result.output
    [(sender, recipients, data)] = server.received
    assert sender == "newsletter@example.org" and recipients == ["leserin@example.org"]
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["Subject"] == SUBJECT and message["To"] == "leserin@example.org"
    assert re.fullmatch(r"<[^@>]+@example\.org>", message["Message-ID"])
    assert _from(message) == ("Akti(F) Plus Vernetzungsstelle", "newsletter@example.org")
    assert message.get_content_type() == "multipart/alternative"
    text, html = list(message.iter_parts())
    assert text.get_content_type() == "text/plain" and text.get_content_charset() == "utf-8"
    assert html.get_content_type() == "text/html" and html.get_content_charset() == "utf-8"
    assert text["Content-Transfer-Encoding"] == html["Content-Transfer-Encoding"] == "quoted-printable"
    # As sent: lines end in CRLF on the wire
    assert text.get_content().replace("\r\n", "\n") == path.with_suffix(".txt").read_text(encoding="utf-8")
    assert html.get_content().replace("\r\n", "\n") == path.with_suffix(".html").read_text(encoding="utf-8")
    assert "Mitstreiter*innen" in html.get_content() and "{UNSUBSCRIBE}" in text.get_content()
    assert max(len(line) for line in data.split(b"\r\n")) <= 998  # SMTP's line limit


@pytest.mark.filterwarnings("ignore:Session.login_data")  # aiosmtpd's own deprecated attribute, set by itself
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_test_send_logs_in_with_the_password_from_the_environment(sample, run, sink, monkeypatch):
    server = sink(password="geheim")
    _smtp(sample, server.controller.port, ", user: redaktion")
    monkeypatch.setenv("RUNDBRIEF_SMTP_PASSWORD", "geheim")
    result, _ = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 0, result.output
    assert len(server.received) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_refused_login_is_one_sentence_naming_the_settings(sample, run, sink, monkeypatch):
    server = sink(password="geheim")
    _smtp(sample, server.controller.port, ", user: redaktion")
    monkeypatch.setenv("RUNDBRIEF_SMTP_PASSWORD", "falsch")
    result, _ = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 1 and not server.received
    assert result.output.splitlines()[-1] == (
        f"Fehler: Der SMTP-Server 127.0.0.1:{server.controller.port} hat die Anmeldung als „redaktion“ abgelehnt: "
        "„rundbrief: email: smtp: user“ in mkdocs.yml und das Passwort in RUNDBRIEF_SMTP_PASSWORD prüfen.")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("step", "message"), [
    ("MAIL", "nimmt keine E-Mail von „newsletter@example.org“ an: „rundbrief: email: sender“ in mkdocs.yml prüfen"),
    ("RCPT", "nimmt keine E-Mail an „leserin@example.org“ an: die Adresse bei --send-test prüfen."),
])
def test_a_refused_sender_or_recipient_is_named(sample, run, sink, step, message):
    server = sink()
    server.refuse = step
    _smtp(sample, server.controller.port)
    result, _ = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 1 and not server.received
    last = result.output.splitlines()[-1]
    assert last.startswith(f"Fehler: Der SMTP-Server 127.0.0.1:{server.controller.port} ") and message in last


def test_a_login_where_the_server_offers_none_names_the_user_setting(sample, run, sink, monkeypatch):
    server = sink()
    _smtp(sample, server.controller.port, ", user: redaktion")
    monkeypatch.setenv("RUNDBRIEF_SMTP_PASSWORD", "geheim")
    result, _ = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 1 and not server.received
    assert (f"Fehler: Der SMTP-Server 127.0.0.1:{server.controller.port} bietet keine Anmeldung an: „rundbrief: email: "
            "smtp: user“ weglassen") in result.output


def test_ssl_to_a_server_without_it_names_the_security_setting(sample, run, sink):
    server = sink()
    _smtp(sample, server.controller.port)
    config = (sample.root / "mkdocs.yml").read_text(encoding="utf-8")
    (sample.root / "mkdocs.yml").write_text(config.replace("security: none", "security: ssl"), encoding="utf-8")
    result, _ = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 1 and not server.received
    assert result.output.splitlines()[-1] == (
        f"Fehler: Die verschlüsselte Verbindung zu 127.0.0.1:{server.controller.port} ist gescheitert: „rundbrief: "
        "email: smtp: security“ in mkdocs.yml prüfen (starttls für Port 587, ssl für Port 465).")


def test_a_missing_password_is_named(sample, run, monkeypatch):
    _smtp(sample, 25, ", user: redaktion")
    monkeypatch.delenv("RUNDBRIEF_SMTP_PASSWORD", raising=False)
    result, _ = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 1
    assert ("Fehler: Für die Anmeldung als „redaktion“ am SMTP-Server fehlt das Passwort: es steht nur in der "
            "Umgebungsvariablen RUNDBRIEF_SMTP_PASSWORD, nie in mkdocs.yml") in result.output


def test_a_closed_port_is_named(sample, run):
    port = _free_port()  # nothing listens there once the socket is closed
    _smtp(sample, port)
    result, _ = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Fehler: Der SMTP-Server 127.0.0.1 nimmt auf Port {port} keine Verbindung an: „rundbrief: email: smtp: port“ "
        "in mkdocs.yml prüfen (meist 587 mit „security: starttls“, 465 mit „security: ssl“).")


def test_an_unknown_host_is_named(sample, run):
    options(sample, f"""\
        email:
          tool: cleverreach
          sender: "{SENDER}"
          smtp: {{host: smtp.rundbrief.invalid, port: 587}}
        """)
    result, _ = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Fehler: Den SMTP-Server „smtp.rundbrief.invalid“ gibt es nicht, oder er ist von hier aus nicht zu finden: "
        "„rundbrief: email: smtp: host“ in mkdocs.yml prüfen.")


def test_starttls_to_a_server_without_it_names_the_security_setting(sample, run, sink):
    server = sink()
    options(sample, f"""\
        email:
          tool: cleverreach
          sender: "{SENDER}"
          smtp: {{host: 127.0.0.1, port: {server.controller.port}, security: starttls}}
        """)
    result, _ = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 1 and not server.received
    assert "verschlüsselt nicht mit STARTTLS: „rundbrief: email: smtp: security“ in mkdocs.yml prüfen" in result.output


def test_a_send_without_host_or_sender_says_which_option_to_set(sample, run):
    options(sample, """\
        email:
          tool: cleverreach
        """)
    result, _ = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 1
    assert "Fehler: Für --send-test fehlt der Absender: in mkdocs.yml unter „rundbrief: email:“ „sender:“ eintragen" in result.output
    options(sample, f"""\
        email:
          sender: "{SENDER}"
        """)
    result, _ = made(sample, run, "--send-test", "leserin@example.org")
    assert result.exit_code == 1
    assert "Fehler: Für --send-test fehlt der SMTP-Server: in mkdocs.yml unter „rundbrief: email: smtp:“ „host:“" in result.output


# The subscription page


def _subscribe(site, text: str) -> None:
    options(site, f"subscribe: {text}\n")


def test_the_subscription_page_is_a_plain_form_to_the_provider(sample):
    _subscribe(sample, '{action: "https://listen.example.org/subscription/form", provider: listmonk, hidden: {l: "d8a3"}}')
    out = sample.build()
    html = (out / "abonnieren/index.html").read_text(encoding="utf-8")
    form = re.search(r'<form class="rb-subscribe".*?</form>', html, re.S)[0]
    assert 'action="https://listen.example.org/subscription/form" method="post"' in form
    assert '<label for="rb-subscribe-email">Ihre E-Mail-Adresse</label>' in form
    assert 'id="rb-subscribe-email" type="email" name="email" autocomplete="email" required' in form
    assert '<input type="hidden" name="l" value="d8a3">' in form
    assert 'Mehr dazu in der <a href="../datenschutz/">Datenschutzerklärung</a>.' in form
    assert "Erst wenn Sie ihn anklicken, ist das Abonnement aktiv (Double-Opt-in)." in html
    # Nothing from another host before the form is sent: the only such address is the form's
    loaded = re.findall(r'\s(?:src|action)="([^"]*)"', html) + re.findall(r'<link\b[^>]*\shref="([^"]*)"', html)
    others = [url for url in loaded if re.match(r"(https?:)?//", url) and not url.startswith("https://www.aktif-vernetzt.de/")]
    assert others == ["https://listen.example.org/subscription/form"]
    assert "<script" not in form and "<iframe" not in html
    # Linked from every footer and from the feed page
    for page in ("index.html", "newsletters/index.html", f"newsletters/{ISSUE}/index.html", "impressum/index.html"):
        assert '<a href="' in (out / page).read_text(encoding="utf-8").split("Newsletter per E-Mail abonnieren")[0][-80:]
    feed_page = (out / "feed/index.html").read_text(encoding="utf-8")
    assert 'Lieber per E-Mail? <a href="../abonnieren/">Den Newsletter per E-Mail abonnieren</a>.' in feed_page


def test_mailchimp_takes_its_own_field_name(sample):
    _subscribe(sample, '{action: "https://x.us1.list-manage.com/subscribe/post?u=1&id=2", provider: mailchimp}')
    html = (sample.build() / "abonnieren/index.html").read_text(encoding="utf-8")
    assert 'type="email" name="EMAIL"' in html
    assert 'action="https://x.us1.list-manage.com/subscribe/post?u=1&amp;id=2"' in html


def test_without_an_action_there_is_no_subscription_page(sample):
    out = sample.build()
    assert not (out / "abonnieren").exists()
    assert "abonnieren/" not in (out / "index.html").read_text(encoding="utf-8")
    assert "abonnieren/" not in (out / "feed/index.html").read_text(encoding="utf-8")


def test_a_page_at_the_subscription_address_is_refused(sample):
    _subscribe(sample, '{action: "https://listen.example.org/form"}')
    sample.write("content/abonnieren.md", "# Abonnieren\n")
    assert "content/abonnieren.md:1: Diese Datei bekäme dieselbe Adresse wie die von Rundbrief erzeugte Übersichtsseite" \
        in sample.build_fails()


def test_the_privacy_page_has_a_placeholder_for_the_newsletter_provider():
    text = (REPO / "content/datenschutz.md").read_text(encoding="utf-8")
    section = text.split("## Newsletter per E-Mail", 1)[1].split("\n## ", 1)[0]
    assert "Double-Opt-in" in section and "[PLATZHALTER: Name und Anschrift des Versanddienstes" in section
