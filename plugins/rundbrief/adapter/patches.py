"""Changes to Material's (and MkDocs') own templates, made to the installed release's text as it is
loaded, as mkdocs-section-index's rewrites.py does, instead of copies of whole templates: a copy
carries one release's hashed asset names and misses every fix of the next. Each patch replaces a piece of text
that must occur in the template exactly as often as expected; where it does not (Material changed
that template), the build fails and names the template and the patch. A `{#- Rundbrief: … -#}`
comment marks a change in the loaded text and keeps the output's whitespace as it was."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jinja2 import BaseLoader, Environment
from material import __version__ as material_version
from mkdocs import __version__ as mkdocs_version

from rundbrief.core import Problem

from .errors import ProblemsError


@dataclass(frozen=True)
class Patch:
    template: str  # as Jinja names it, e.g. "partials/header.html"
    purpose: str  # what it is for, in German: named when the patch no longer applies
    old: str
    new: str
    count: int = 1  # how often `old` occurs in the template

    def apply(self, source: str) -> str | None:
        """`source` patched, or None where `old` does not occur `count` times."""
        return source.replace(self.old, self.new) if source.count(self.old) == self.count else None


PATCHES: tuple[Patch, ...] = (
    # `striptags` turns the entities of an escaped title back into characters, which Material then writes
    # unescaped: `&lt;/title&gt;&lt;script&gt;` in a heading would become a script in every browser tab.
    Patch(
        "base.html", "Seitentitel im Browser-Tab maskiert",
        "<title>{{ page.title | striptags }} - {{ config.site_name }}</title>",
        "<title>{{ page.title | striptags | e }} - {{ config.site_name | e }}</title>",
    ),
    # Checkboxes take no autocomplete attribute (the Nu Html Checker's error).
    Patch(
        "base.html", "Kontrollkästchen ohne „autocomplete“",
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
        '{#- Rundbrief: no autocomplete attribute on checkboxes -#}\n    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">',
    ),
    Patch(
        "base.html", "Kontrollkästchen ohne „autocomplete“",
        '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
        '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">',
    ),
    # Material offers a skip link only where the Markdown has a heading; on an issue page it would skip
    # the title and the intro. Ours leads to the page's h1 on every page (partials/content.html).
    Patch(
        "base.html", "Sprunglink zum Seitentitel auf jeder Seite",
        """      {% if page.toc | first is defined %}
        {% set skip = page.toc | first %}
        <a href="{{ skip.url | url }}" class="md-skip">
          {{ lang.t("action.skip") }}
        </a>
      {% endif %}
""",
        """      {#- Rundbrief: to the page's h1, on every page -#}
      {% set first = page.toc | first %}
      <a href="{{ first.url if first and first.level == 1 else '#inhalt' }}" class="md-skip">
        {{ lang.t("action.skip") }}
      </a>
""",
    ),
    Patch(
        "partials/content.html", "Sprunglink zum Seitentitel auf jeder Seite",
        "  <h1>{{ page.title | d(config.site_name, true)}}</h1>",
        '  <h1 id="inhalt">{{ page.title | d(config.site_name, true)}}</h1>',
    ),
    # The page's title and text are what the site search indexes (adapter/site/search.py).
    Patch(
        "partials/content.html", "Suchbereich der Seite",
        "{% include \"partials/actions.html\" %}\n",
        "{% include \"partials/actions.html\" %}\n{#- Rundbrief: what the site search indexes -#}\n<div data-pagefind-body>\n",
    ),
    Patch(
        "partials/content.html", "Suchbereich der Seite",
        "{{ page.content }}\n",
        "{{ page.content }}\n</div>\n",
    ),
    # Our own search field (Pagefind), a form to the search page, instead of Material's, which needs
    # Material's search plugin.
    Patch(
        "partials/header.html", "Suchfeld der Website",
        """    {% if "material/search" in config.plugins %}
      {% set search = config.plugins["material/search"] | attr("config") %}
      {% if search.enabled %}
        <label class="md-header__button md-icon" for="__search">
          {% set icon = config.theme.icon.search or "material/magnify" %}
          {% include ".icons/" ~ icon ~ ".svg" %}
        </label>
        {% include "partials/search.html" %}
      {% endif %}
    {% endif %}
""",
        """    {#- Rundbrief: its own search field -#}
    {% if rundbrief.search_url %}
      {% include "partials/search-form.html" %}
    {% endif %}
""",
    ),
    # The menu is a real button, named, with its state: Material's <label> for the hidden checkbox can be
    # clicked, but not reached or pressed by keyboard. assets/javascripts/rundbrief.js connects it;
    # without JavaScript, Material's label opens the menu again (rundbrief.css shows one or the other).
    Patch(
        "partials/header.html", "Menü als Schaltfläche",
        """    <label class="md-header__button md-icon" for="__drawer">
      {% set icon = config.theme.icon.menu or "material/menu" %}
      {% include ".icons/" ~ icon ~ ".svg" %}
    </label>
""",
        """    {#- Rundbrief: a button, named, with its state; without JavaScript, Material's label again -#}
    {% set icon = config.theme.icon.menu or "material/menu" %}
    <button class="md-header__button md-icon rb-menu" type="button" aria-label="Menü" aria-expanded="false">
      {% include ".icons/" ~ icon ~ ".svg" %}
    </button>
    <label class="md-header__button md-icon rb-menu-without-js" for="__drawer">
      {% include ".icons/" ~ icon ~ ".svg" %}<span class="rb-visually-hidden">Menü</span>
    </label>
""",
    ),
    # The toc's title is a label for the nav's toggle, which the nav renders only for pages in the nav;
    # elsewhere the label would point at nothing (invalid HTML).
    Patch(
        "partials/toc.html", "Inhaltsverzeichnis ohne Label ins Leere",
        """    <label class="md-nav__title" for="__toc">
      <span class="md-nav__icon md-icon"></span>
      {{ title }}
    </label>
""",
        """    {% if page in nav.pages %}
      <label class="md-nav__title" for="__toc">
        <span class="md-nav__icon md-icon"></span>
        {{ title }}
      </label>
    {% else %}
      <div class="md-nav__title">{{ title }}</div>
    {% endif %}
""",
    ),
    # The footer's credit in German, as everything else on the page (`theme.language` leaves it English).
    Patch(
        "partials/copyright.html", "Hinweis „Erstellt mit“ auf Deutsch",
        "    Made with\n",
        "    {#- Rundbrief: in German -#}\n    Erstellt mit\n",
    ),
    # Search engines are asked not to index the LinkedIn copy pages (`robots: noindex`): not in the sitemap.
    Patch(
        "sitemap.xml", "Sitemap ohne Seiten mit „noindex“",
        "{% if not file.page.is_link and (file.page.abs_url or file.page.canonical_url) %}",
        '{% if not file.page.is_link and (file.page.abs_url or file.page.canonical_url)'
        ' and "noindex" not in (file.page.meta.robots or "") %}',
    ),
)


class PatchingLoader(BaseLoader):
    """Loads templates through `loader` and applies the patches of each on the way."""

    def __init__(self, loader: BaseLoader, patches: Iterable[Patch] = PATCHES) -> None:
        self.loader = loader
        self.patches: dict[str, list[Patch]] = {}
        for patch in patches:
            self.patches.setdefault(patch.template, []).append(patch)

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate, problems = self._patched(environment, template)
        if problems:
            raise ProblemsError(problems)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()

    def check(self, environment: Environment) -> None:
        """Applies every patch now, so that a build fails before its first page, naming every patch
        that no longer applies."""
        if problems := self.problems(environment):
            raise ProblemsError(problems)

    def problems(self, environment: Environment) -> list[Problem]:
        """Every patch that no longer applies."""
        return [problem for template in self.patches for problem in self._patched(environment, template)[3]]

    def _patched(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None, list[Problem]]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        problems = []
        for patch in self.patches.get(template, []):
            patched = patch.apply(source)
            if patched is None:
                problems.append(_problem(patch, filename))
            else:
                source = patched
        return source, filename, uptodate, problems


def patch_templates(env: Environment, more: Iterable[Patch] = ()) -> None:
    """Puts the patches, and `more`, between the theme's templates and `env`; fails if one no longer applies."""
    assert env.loader is not None  # MkDocs' theme always has one
    loader = PatchingLoader(env.loader, (*PATCHES, *more))
    loader.check(env)
    env.loader = loader
    if env.cache is not None:
        env.cache.clear()  # nothing loaded unpatched survives


def _problem(patch: Patch, filename: str | None) -> Problem:
    found = "nicht gefunden" if patch.count == 1 else f"nicht genau {patch.count}-mal gefunden"
    return Problem(filename or patch.template, 1, (
        f"Die Anpassung „{patch.purpose}“ passt nicht mehr auf die Vorlage „{patch.template}“: die Stelle "
        f"„{patch.old.strip().splitlines()[0]}“ wurde {found} (Material {material_version}, MkDocs "
        f"{mkdocs_version}). Erlaubt sind die Versionen, für die Rundbrief gebaut ist (pyproject.toml); bei "
        "einer neuen Version die Anpassung in plugins/rundbrief/adapter/patches.py nachziehen."
    ))
