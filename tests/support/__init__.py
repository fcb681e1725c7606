"""Helpers the tests share: import them from here (`from tests.support.forms import form_post`).

conftest.py files hold fixtures only, and no test module imports from another test module
(tests/test_suite_layout.py checks both).
"""
