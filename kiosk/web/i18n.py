"""Languages: one gettext catalogue per language, shared by the server and the browser.

`translations/<lang>/LC_MESSAGES/messages.po` holds every text by a stable key
(`kiosk.welcome_title`). Templates use them through Flask-Babel (`_("…")`); the
browser fetches the same catalogue as JSON from `/i18n/<lang>.json`. Catalogues
are compiled to `.mo` when the app starts if they changed, so editing a `.po`
file and restarting is all a translator needs.

Which language a page speaks (`select_locale`), first that applies:
1. the signed-in person's own choice, on their own pages: a host's on the board, a manager's
   on the admin and stats pages (kiosk/domain/own_language.py; set on those pages);
2. `?lang=` on any page, remembered for the browser's session;
3. the browser's Accept-Language, among the catalogues;
4. the site's default language (the signed-in person's site's, else the server's).
The kiosk and the customer's status page pin their own (the site's, the visit's).
"""

from __future__ import annotations

import functools
import gzip
import logging
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import abort, current_app, g, jsonify, request, session
from flask_babel import Babel, format_decimal, get_locale

from kiosk.domain import own_language
from kiosk.web.common import services
from kiosk.web.refusals import said

log = logging.getLogger(__name__)
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}
# Whose own language a blueprint's pages speak: the board is the host's, admin and stats the manager's.
OWN_PAGES = {"board": "host", "admin": "manager", "stats": "manager"}


def available_languages() -> tuple[str, ...]:
    """Every language with a catalogue, in a stable order."""
    return tuple(sorted(path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")))


def catalogue(language: str) -> dict[str, str]:
    """The texts of one language by key (untranslated keys are left out)."""
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return {message.id: message.string for message in read_po(po, locale=language) if message.id and message.string}


def compile_catalogues() -> None:
    """Compile each changed catalogue; where the tree is read-only to the server (a service
    user, ProtectSystem=strict) a stale one is kept with a warning: `make install` compiles."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            try:
                with open(po_path, "rb") as po, open(mo_path, "wb") as mo:
                    write_mo(mo, read_po(po, locale=po_path.parent.parent.name))
            except PermissionError as error:
                log.warning("cannot compile %s (%s); run `make install` as the checkout's owner", po_path,
                            error.strerror)


def text_direction(language: str) -> str:
    return "rtl" if language.split("_")[0] in RIGHT_TO_LEFT else "ltr"


def own_choice() -> tuple[str | None, str | None]:
    """(own language, site's default language) of whoever is signed in for this page's area."""
    if "own_language" not in g:
        g.own_language = (None, None)
        role = OWN_PAGES.get(request.blueprint or "")
        principal = services().sessions.principal(session, role) if role else None
        if principal is not None:
            site = services().site_settings.for_site(principal.site_id)
            g.own_language = (own_language.of(services().store.person(role, principal.id)), site["default_language"])
    return g.own_language


def language_names() -> dict[str, str]:
    """Each language by its own name (its catalogue's kiosk.lang_name), for a choice of language."""
    return {language: catalogue(language).get("kiosk.lang_name", language) for language in available_languages()}


def texts_under(prefix: str) -> dict[str, str]:
    """The texts whose keys start with `prefix` (cut off), in the request's language and
    English where it lacks one: what a page hands its browser code (the board's #board-texts),
    so a key added to the catalogues reaches the page without listing it anywhere else."""
    catalogues = current_app.extensions["catalogues"]
    texts = {**catalogues.get("en", {}), **catalogues.get(str(get_locale()), {})}
    return {key[len(prefix):]: text for key, text in texts.items() if key.startswith(prefix)}


def number(value, pattern=None) -> str:
    """A number in the reader's locale (digits, grouping): `{{ number(1234) }}` is 1.234 in German."""
    return format_decimal(value, format=pattern)


def init_app(app, default_language: str) -> None:
    compile_catalogues()
    languages = available_languages()
    catalogues = {language: catalogue(language) for language in languages}
    app.extensions["catalogues"] = catalogues

    def select_locale():
        """The person's own choice, else ?lang= (remembered), else the browser's, else the site's (module doc)."""
        wanted = request.args.get("lang")
        if wanted in languages:
            session["lang"] = wanted
        chosen, site_default = own_choice()
        if chosen in languages:
            return chosen
        return session.get("lang") or request.accept_languages.best_match(languages) or site_default \
            or default_language

    Babel(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    names = language_names()
    app.jinja_env.globals.update(text_direction=text_direction, available_languages=languages,
                                 language_names=names, own_choice=own_choice, number=number, said=said)

    @functools.cache
    def catalogue_body(language: str) -> tuple[bytes, bytes]:
        """The catalogue as JSON, and gzipped (a whole catalogue is some 60 KB, a fifth of that gzipped)."""
        plain = jsonify({"language": language, "direction": text_direction(language),
                         "texts": catalogues[language]}).get_data()
        return plain, gzip.compress(plain, compresslevel=9, mtime=0)

    @app.get("/i18n/<language>.json")
    def catalogue_json(language: str):
        if language not in catalogues:
            abort(404)
        plain, zipped = catalogue_body(language)
        zip_it = request.accept_encodings.quality("gzip") > 0
        response = current_app.response_class(zipped if zip_it else plain, mimetype="application/json")
        if zip_it:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        response.cache_control.max_age = 300
        return response
