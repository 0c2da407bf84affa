"""Click's own words in German, whatever the editor's system language: "Usage", "Options", its error
messages. Click looks its words up with `gettext`, bound into each of its modules at import; a catalog
found through the locale settings would leave an English system English, so the lookup is replaced."""

from __future__ import annotations

from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

GERMAN = {
    "Usage:": "Aufruf:",
    "Options": "Optionen",
    "Commands": "Befehle",
    "Positional arguments": "Argumente",
    "Show this message and exit.": "Diese Hilfe zeigen und beenden.",
    "Show the version and exit.": "Die Version zeigen und beenden.",
    "Aborted!": "Abgebrochen.",
    "required": "Pflicht",
    "default: {default}": "Standard: {default}",
    "Error: {message}": "Fehler: {message}",
    "Try '{command} {option}' for help.": "Hilfe mit „{command} {option}“.",
    "Missing command.": "Es fehlt ein Befehl.",
    "Missing argument": "Es fehlt das Argument",
    "Missing option": "Es fehlt die Option",
    "Missing parameter": "Es fehlt eine Angabe",
    "Missing parameter: {param_name}": "Es fehlt die Angabe {param_name}",
    "Missing {param_type}": "Es fehlt: {param_type}",
    "No such option {name!r}.": "Die Option {name!r} gibt es nicht.",
    "No such command {name!r}.": "Den Befehl {name!r} gibt es nicht.",
    "Invalid value: {message}": "Ungültiger Wert: {message}",
    "Invalid value for {param_hint}: {message}": "Ungültiger Wert für {param_hint}: {message}",
    "Option {name!r} does not take a value.": "Die Option {name!r} nimmt keinen Wert.",
    "Argument {name!r} takes {nargs} values.": "Das Argument {name!r} braucht {nargs} Werte.",
    "Could not open file {filename!r}: {message}": "Die Datei {filename!r} lässt sich nicht öffnen: {message}",
    "Value must be an iterable.": "Erwartet sind mehrere Werte.",
    "Do you want to continue?": "Fortfahren?",
    "Repeat for confirmation": "Zur Bestätigung wiederholen",
    "Error: The two entered values do not match.": "Fehler: Die beiden Eingaben stimmen nicht überein.",
    "Error: invalid input": "Fehler: ungültige Eingabe",
    "Press any key to continue...": "Weiter mit einer beliebigen Taste …",
    "file": "Datei",
    "directory": "Ordner",
    "path": "Pfad",
    "{name} {filename!r} is a file.": "{name} {filename!r} ist eine Datei.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} ist ein Ordner.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} ist nicht lesbar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} ist nicht beschreibbar.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} gibt es nicht.",
    "{value!r} is not a valid {number_type}.": "{value!r} ist keine gültige Zahl.",
    "{value} is not in the range {range}.": "{value} liegt nicht im Bereich {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} ist kein Wahrheitswert. Erlaubt sind: {states}",
}

GERMAN_PLURAL = {
    "Got unexpected extra argument ({args})": ("Unerwartetes Argument ({args})", "Unerwartete Argumente ({args})"),
    "Did you mean {possibility}?": ("Gemeint ist vielleicht {possibility}?",
                                    "(Gemeint ist vielleicht eine von: {possibilities}?)"),
    "Option {name!r} requires an argument.": ("Die Option {name!r} braucht einen Wert.",
                                              "Die Option {name!r} braucht {nargs} Werte."),
    "{value!r} is not {choice}.": ("{value!r} ist nicht {choice}.", "{value!r} ist keiner von {choices}."),
    "Takes {nargs} values but 1 was given.": ("Braucht {nargs} Werte, angegeben ist einer.",
                                              "Braucht {nargs} Werte, angegeben sind {len}."),
}


def gettext(message: str) -> str:
    return GERMAN.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    forms = GERMAN_PLURAL.get(singular, (singular, plural))
    return forms[0] if n == 1 else forms[1]


def install() -> None:
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                   click.types):
        module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


class GermanCommand(click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPTIONEN]")
        super().__init__(*args, **kwargs)


class GermanGroup(click.Group):
    command_class = GermanCommand
    group_class = type  # subgroups of the same class

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPTIONEN]")
        kwargs.setdefault("subcommand_metavar", "BEFEHL [ARGUMENTE]...")
        super().__init__(*args, **kwargs)
