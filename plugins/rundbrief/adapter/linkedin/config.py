"""Options of the `linkedin` plugin in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class CardsConfig(Config):
    """Social cards: the 1200×627 images of link previews."""

    enabled = c.Type(bool, default=True)
    background = c.Type(str, default="#3f51b5")
    foreground = c.Type(str, default="#ffffff")
    accent = c.Type(str, default="#ffcc00")
    font = c.Optional(c.Type(str))  # a bold TrueType/OpenType file; default: Source Sans Pro Bold


class LinkedinConfig(Config):
    enabled = c.Type(bool, default=True)
    hashtags = c.ListOfItems(c.Type(str), default=["#AktiFPlus", "#ESFPlus", "#Familienarmut"])
    utm = c.DictOfItems(c.Type(str), default={})  # e.g. {utm_source: linkedin, utm_medium: social}
    cards = c.SubConfig(CardsConfig)
