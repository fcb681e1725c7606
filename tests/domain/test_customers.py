"""Normalising contact details so that a returning customer is recognised."""

import pytest

from kiosk.domain.customers import normalize_email, normalize_phone, same_person


@pytest.mark.parametrize("typed", ["+49 171 2345678", "0049 171 234-5678", "0171 / 234 56 78", "(0171) 2345678"])
def test_one_phone_number_written_four_ways(typed):
    assert normalize_phone(typed) == "491712345678"


def test_a_foreign_number_keeps_its_country_code():
    assert normalize_phone("+90 532 123 45 67") == "905321234567"


def test_email_ignores_case_and_spaces():
    assert normalize_email("  Zoe.Example@Mail.DE ") == "zoe.example@mail.de"


def test_nothing_given_is_nothing():
    assert normalize_phone(None) is None and normalize_email("") is None


@pytest.mark.parametrize("typed, stored", [("jonas", "Jonas Weber"), ("Ayse Yilmaz", "Ayşe Yılmaz"),
                                           ("WEBER, J.", "Jonas Weber"), ("Zoë", "Zoe Example")])
def test_a_name_typed_another_way_is_the_same_person(typed, stored):
    assert same_person(typed, stored)


@pytest.mark.parametrize("typed, stored", [("Someone Else", "Jonas Weber"), ("J", "Jonas Weber"),
                                           ("", "Jonas Weber"), (None, "Jonas Weber")])
def test_a_clearly_different_name_is_not_the_same_person(typed, stored):
    assert not same_person(typed, stored)
