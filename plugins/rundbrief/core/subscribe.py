"""The subscription page: a plain form that posts a reader's address to the mailing tool, which sends
the confirmation e-mail (double opt-in, § 7 Abs. 2 Nr. 3 UWG). The site stores nothing and loads nothing
from the tool's host until the form is sent."""

from __future__ import annotations

from urllib.parse import urlsplit

# The name of the address field each provider's form takes. Mailchimp's is its merge tag EMAIL; listmonk's,
# CleverReach's and Buttondown's forms post "email". rapidmail's could not be checked against its
# documentation here: "email" is assumed, and `subscribe: hidden:` adds what a form needs besides.
PROVIDERS = {"": "email", "listmonk": "email", "cleverreach": "email", "rapidmail": "email",
             "buttondown": "email", "mailchimp": "EMAIL"}
_LOCAL = {"127.0.0.1", "localhost", "::1"}


def email_field(provider: str) -> str:
    return PROVIDERS.get(provider, "email")


def problems(action: str | None, provider: str) -> list[str]:
    """What is wrong with `subscribe:`, in German."""
    found = []
    if provider not in PROVIDERS:
        found.append(f"„rundbrief: subscribe: provider: {provider}“ ist unbekannt. Erlaubt sind "
                     f"{', '.join(name for name in PROVIDERS if name)} oder keine Angabe (das Feld heißt dann „email“).")
    if action is None:
        return found
    parts = urlsplit(action.strip())
    local = parts.scheme == "http" and parts.hostname in _LOCAL
    if not (parts.scheme == "https" and parts.hostname) and not local:
        found.append(f"„rundbrief: subscribe: action: {action}“ ist keine Adresse mit https://. Erlaubt ist die "
                     "Adresse des Anmeldeformulars beim Versandwerkzeug, z. B. „https://newsletter.example.org/"
                     "subscription/form“: E-Mail-Adressen gehen nur verschlüsselt über das Netz.")
    return found
