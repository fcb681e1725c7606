"""The domain's refusals in the reader's language (kiosk/web/refusals.py): every code the domain
and the store give a refusal has its text in every catalogue, and one without falls back to English."""

from __future__ import annotations

import ast

from kiosk.domain.errors import Conflict, Invalid
from kiosk.web import i18n
from kiosk.web.refusals import PREFIX, in_readers_words
from tests.support.paths import ROOT

SOURCES = [*sorted((ROOT / "kiosk" / "domain").rglob("*.py")), *sorted((ROOT / "kiosk" / "store").rglob("*.py"))]
# Codes made from parts, as they come out (kiosk/store/names.py: a host's, a kiosk's, a manager's name taken).
PASSED_ON = ("code", "error.code", "problem.code")  # a refusal raised again with the code it had


def refusal_codes(source: str) -> tuple[set[str], list[str]]:
    """(every literal code given as `code=`, either one of a condition's, and the code expressions
    that are neither literals nor passed on)."""
    codes, formed = set(), []

    def outcomes(expression):
        if isinstance(expression, ast.IfExp):
            outcomes(expression.body)
            outcomes(expression.orelse)
        elif isinstance(expression, ast.Constant) and isinstance(expression.value, str):
            codes.add(expression.value)
        else:
            formed.append(ast.unparse(expression))

    for node in ast.walk(ast.parse(source)):
        for keyword in node.keywords if isinstance(node, ast.Call) else []:
            if keyword.arg == "code" and ast.unparse(keyword.value) not in PASSED_ON:
                outcomes(keyword.value)
    return codes, formed


def test_the_rule_finds_literal_conditional_and_formed_codes():
    snippet = """raise Invalid("m", "f", code="a_rule")
raise Invalid("m", "f", code="b" if x == "z" else "c", values={"n": 1})
raise Conflict("m", code=f"{role}_taken")
raise Invalid(error.message, field, code=error.code)"""
    assert refusal_codes(snippet) == ({"a_rule", "b", "c"}, ["f'{role}_taken'"])


def test_every_refusal_code_has_its_text_in_every_catalogue():
    codes, formed = set(), []
    for path in SOURCES:
        found, made = refusal_codes(path.read_text(encoding="utf-8"))
        codes |= found
        formed += [f"{path.relative_to(ROOT)}: {expression}" for expression in made]
    assert formed == []  # a code made at run time (a Reason's, test_owner_languages.py) is checked there
    assert len(codes) > 15
    catalogues = {language: i18n.catalogue(language) for language in i18n.available_languages()}
    missing = [f"{language}: {PREFIX}{code}" for language, texts in catalogues.items() for code in sorted(codes)
               if PREFIX + code not in texts]
    assert missing == []


def test_a_refusal_is_said_in_the_requests_language_and_in_english_without_a_text(app):
    taken = Conflict("There is already a host called “Lea”", "name", code="host_name_taken", values={"name": "<Lea>"})
    with app.test_request_context("/admin/team", headers={"Accept-Language": "tr"}):
        assert in_readers_words(taken) == "Bu şubede “<Lea>” adında bir görevli zaten var: başka bir ad seçin."
        assert in_readers_words(Invalid("plain English", "name")) == "plain English"
        assert in_readers_words(Invalid("plain English", "name", code="no_such_code")) == "plain English"
