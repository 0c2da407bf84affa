"""The running preview answers its own address only, and odd requests without a traceback: real
`rundbrief serve`, real HTTP requests."""

from __future__ import annotations

import http.client

import pytest

from conftest import Preview


@pytest.fixture
def preview(start) -> Preview:
    preview = start()
    preview.poll("newsletters/", "Die Vernetzungsstelle informiert")
    return preview


def _get(preview: Preview, path: str, host: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def test_a_request_for_another_name_is_refused(preview):
    """A web page that points its own name at this machine (DNS rebinding) must not read the preview."""
    own = f"127.0.0.1:{preview.port}"
    for host in (own, f"localhost:{preview.port}", f"[::1]:{preview.port}", f"LOCALHOST:{preview.port}"):
        status, text = _get(preview, "/newsletters/", host)
        assert status == 200, host
        assert "Die Vernetzungsstelle informiert" in text
    for host in (f"angreifer.example:{preview.port}", "angreifer.example", f"127.0.0.1:{preview.port + 1}", "",
                 f"127.0.0.1.nip.io:{preview.port}"):
        for path in ("/newsletters/", "/", "/search/pagefind/pagefind.js", "/livereload/1/1"):
            status, text = _get(preview, path, host)
            assert status == 403, (host, path)
            assert "Die Vernetzungsstelle informiert" not in text and "<h1>Falsche Adresse für die Vorschau</h1>" in text
            assert f"Erlaubt ist ihre eigene Adresse: <a href=\"http://{own}/\">" in text
    output = preview.stop()
    assert "Traceback" not in output


def test_a_null_byte_in_the_address_is_not_found_without_a_traceback(preview):
    for path in ("/%00", "/newsletters/%00/", "/feed.xml%00.html"):
        status, text = _get(preview, path, f"127.0.0.1:{preview.port}")
        assert status == 404, path
        assert '<html lang="de">' in text and "<h1>Seite nicht gefunden</h1>" in text
    assert preview.get("newsletters/")[0] == 200  # still serving
    output = preview.stop()
    for english in ("Traceback", "ValueError", "Internal Server Error", "ERROR"):
        assert english not in output
