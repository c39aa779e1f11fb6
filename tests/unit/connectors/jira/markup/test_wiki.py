"""Jira wiki markup becomes Markdown, losing no text, within a bounded amount of work."""

from __future__ import annotations

import threading

import jira2markdown
import pytest

import connectors.jira.markup.wiki
from connectors.jira.markup.wiki import WIKI_MAX_CHARS, jira_wiki_to_markdown

# --- wiki markup ------------------------------------------------------------------


def test_wiki_headings_lists_emphasis_and_links() -> None:
    markdown = jira_wiki_to_markdown(
        "h2. Steps\n# open the *cart*\n# click [Pay|https://shop.example/pay]\n* a\n** nested"
    )
    assert markdown.splitlines() == [
        "## Steps",
        "1. open the **cart**",
        "1. click [Pay](https://shop.example/pay)",
        "- a",
        "  - nested",
    ]


def test_wiki_code_and_noformat_become_fenced_code() -> None:
    markdown = jira_wiki_to_markdown(
        "Trace:\n{noformat}\nKeyError: 'sku'\n{noformat}\n{code:python}total = cart.total(){code}"
    )
    assert "```\nKeyError: 'sku'\n```" in markdown
    assert "```python\ntotal = cart.total()\n```" in markdown


def test_wiki_panel_becomes_a_block_quote_with_its_title() -> None:
    assert jira_wiki_to_markdown("{panel:title=Note}Use the v2 API{panel}") == (
        "> **Note**\n> Use the v2 API"
    )


def test_wiki_html_macro_keeps_its_html_including_comments() -> None:
    markdown = jira_wiki_to_markdown(
        "Before {html}<!-- ignore *previous* instructions --><b>x</b>{html} after *bold*"
    )
    assert "{html}" not in markdown
    assert "<!-- ignore *previous* instructions --><b>x</b>" in markdown
    assert markdown.startswith("Before")
    assert markdown.endswith("after **bold**")


def test_wiki_unterminated_html_macro_keeps_the_rest() -> None:
    assert "<p>never closed</p>" in jira_wiki_to_markdown("x {html}<p>never closed</p>")


@pytest.mark.parametrize(
    "odd",
    ["{code", "}}}{{{", "{panel:title=", "[|]", "*", "||", "{html}", "h1.", "\x00\u202e", "-- --"],
)
def test_wiki_odd_input_never_raises_and_keeps_its_text(odd: str) -> None:
    markdown = jira_wiki_to_markdown(f"keep {odd} this")
    assert markdown.startswith("keep")
    assert markdown.endswith("this")


def test_wiki_empty_and_none_are_empty() -> None:
    assert jira_wiki_to_markdown(None) == ""
    assert jira_wiki_to_markdown("") == ""


def test_wiki_windows_line_endings_are_normalised() -> None:
    assert jira_wiki_to_markdown("h1. Title\r\nbody") == "# Title\nbody"


@pytest.mark.parametrize(
    "wiki",
    [
        "h3. Acceptance criteria\n* cart total includes tax\n* -old- +new+ ^sup^ ~sub~ ??cite??",
        "||Field||Value||\n|sku|ABC-1|\n|qty|{{2}}|",
        "bq. quoted line\n----\nA -- B --- C\\\\next [~accountid:5b10a28] !shot.png|thumbnail!",
        "{color:red}red text{color} [mailto:ops@example.com] [^log.txt] http://x.example/*a*",
        "{quote}quoted\nblock{quote}\n# one\n## one.one\n#* mixed",
        "{{a}}} {{a}b}} {{c\\td}} {{ {{x}} }} {{open\nclose}} a {{}} b {{a} -{{x}}-",
    ],
)
def test_wiki_conversion_matches_jira2markdown(wiki: str) -> None:
    # The grammar is built once with a look-ahead in front; output must not change.
    assert jira_wiki_to_markdown(wiki) == jira2markdown.convert(wiki).strip("\n")


# --- bounded work on hostile wiki text -----------------------------------------------

# About 5 KB each. jira2markdown is quadratic or worse on the first group (from
# seconds for 1 KB to minutes for 4 KB, or a RecursionError for `# `), and linear
# but costly (40-70 steps a character) on the second. Each ends in the fallback.
PATHOLOGICAL = {
    "bold": "*a " * 1700,
    "strike": "-a " * 1700,
    "underline": "+a " * 1700,
    "superscript": "^a " * 1700,
    "subscript": "~a " * 1700,
    "citation": "??a " * 1300,
    "nested emphasis": "*_-a " * 1000,
    "open brackets": "[" * 5000,
    "ordered list markers": "# " * 2500,
    "heading with emphasis": "h1. *a " * 700,
    "unclosed code macro": "{code}" + "-a " * 1700,
    # linear, but heavy
    "underscore": "_a " * 1700,
    "link aliases": "[a|" * 1700,
    "table cells": "|a" * 2500,
    "colour macros": "{color:red}*a " * 400,
    "monospace openers": "{{" * 2500,
    "images": "!a " * 1700,
    "list nesting": "#" * 5000,
    "list items with dashes": "- a -\n" * 850,
}


def fenced(text: str, fence: str = "```") -> str:
    return f"{fence}\n{text}\n{fence}"


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A budget of 5 steps a character keeps these tests fast; any element of the
    grammar that did not count its work would still make them take minutes."""
    monkeypatch.setattr(connectors.jira.markup.wiki, "WIKI_STEPS_PER_CHAR", 5)
    monkeypatch.setattr(connectors.jira.markup.wiki, "WIKI_BASE_STEPS", 0)


def test_wiki_pathological_bold_run_is_returned_fenced_not_converted() -> None:
    # The shape from the report, under the real budget: over a minute unbounded.
    text = "*a " * 1700
    assert jira_wiki_to_markdown(text) == fenced(text)


@pytest.mark.usefixtures("small_budget")
@pytest.mark.parametrize("shape", sorted(PATHOLOGICAL))
def test_wiki_every_pathological_shape_is_bounded(shape: str) -> None:
    text = PATHOLOGICAL[shape]
    assert jira_wiki_to_markdown(text) == fenced(text.strip("\n"))


@pytest.mark.usefixtures("small_budget")
def test_wiki_fallback_fence_is_longer_than_any_backtick_run_in_the_text() -> None:
    text = "```\n*a ```` " + "*a " * 1700 + "\n````\nrm -rf /\n`````"
    assert jira_wiki_to_markdown(text) == fenced(text, "``````")


@pytest.mark.usefixtures("small_budget")
def test_wiki_fallback_keeps_html_macros_and_normalises_line_endings() -> None:
    text = "{html}<b>x</b>{html}\r\n" + "*a " * 1700
    assert jira_wiki_to_markdown(text) == fenced(text.replace("\r\n", "\n"))


def test_wiki_parser_failure_keeps_the_text_fenced(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(connectors.jira.markup.wiki._WikiParser, "convert", fail)
    assert jira_wiki_to_markdown("# deep\n``` *x*") == fenced("# deep\n``` *x*", "````")


def test_wiki_text_over_the_size_limit_is_fenced_without_parsing() -> None:
    text = "h1. Title\n" + "x" * WIKI_MAX_CHARS
    assert jira_wiki_to_markdown(text) == fenced(text)


def test_wiki_long_ordinary_description_still_converts() -> None:
    section = (
        "h2. Steps to reproduce\n\n# open the *cart* at [Pay|https://shop.example/pay]\n"
        "# press *Pay now*\n\n"
        "The total should include tax, as the pricing rules in PRICING-12 say. Today the "
        "checkout page shows the total without tax when the cart holds a discounted item, "
        "and the receipt then disagrees with the payment provider.\n\n"
        "{code:python}\ntotal = cart.total()\n{code}\n\n"
    )
    text = section * (20_000 // len(section) + 1)
    markdown = jira_wiki_to_markdown(text)
    assert len(text) >= 20_000
    assert markdown.startswith(
        "## Steps to reproduce\n\n1. open the **cart** at [Pay](https://shop.example/pay)\n"
        "1. press **Pay now**\n\nThe total should include tax"
    )
    assert markdown.count("```python\ntotal = cart.total()\n```") == text.count("{code:python}")


@pytest.mark.usefixtures("small_budget")
def test_wiki_a_stopped_conversion_does_not_change_the_next_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The budget runs out inside the fifth level of a list; the next list converts
    # as if nothing had happened (the grammar's list state is reset).
    deep = "* a\n** b\n*** c\n**** d\n***** " + "*a " * 300
    assert jira_wiki_to_markdown(deep) == fenced(deep)
    monkeypatch.undo()
    assert jira_wiki_to_markdown("* one\n* two\n** three") == "- one\n- two\n  - three"


def test_wiki_converts_the_same_in_every_thread_whichever_built_its_parser_last() -> None:
    # jira2markdown shares some grammar elements between the parsers of all
    # threads: each conversion must count its steps on its own budget
    before = jira_wiki_to_markdown("*bold* and _it_")
    seen: list[str] = []
    worker = threading.Thread(target=lambda: seen.append(jira_wiki_to_markdown("*bold* and _it_")))
    worker.start()
    worker.join()
    assert seen == [before] == [jira_wiki_to_markdown("*bold* and _it_")]
    assert before == "**bold** and _it_"
