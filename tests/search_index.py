"""Reads what Pagefind wrote into a built site: one fragment per indexed page (gzip, a signature,
then JSON with the page's URL, text, meta data and anchors)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


def indexed(site_dir: Path) -> dict[str, dict[str, Any]]:
    """The indexed pages by URL, e.g. "/projects/karad/"."""
    pages = {}
    for fragment in (site_dir / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(SIGNATURE), fragment
        page = json.loads(data[len(SIGNATURE):])
        pages[page["url"]] = page
    return pages
