"""Jira wiki markup (REST v2 descriptions and comments) to Markdown.

The conversion is total: odd or malformed input yields the best Markdown we can
make of it, never an exception, and no text is dropped on the way. The text is
untrusted; nothing here interprets it beyond layout.

Wiki markup is bounded. jira2markdown's grammar (pyparsing) is quadratic or worse
on some shapes of text, all on one line: runs of `*a `, `-a `, `+a `, `^a `, `~a `,
`??a `, `*_-a `, `[`, `# ` take from seconds to minutes for one or two
kilobytes, and real descriptions hit it (command lines full of `-x` flags, logs).
So the conversion has a work budget, counted in parser steps (one step is one
attempt of one grammar element at one place in the text; 1-4 microseconds):
`WIKI_STEPS_PER_CHAR` steps a character plus `WIKI_BASE_STEPS`. Real Jira
descriptions use a median of 26 steps a character (90th percentile 36), so
about 1 in 100 falls back, and a 20,000-character description of ordinary prose
and markup converts; hostile text stops after a linear amount of work. Text
longer than `WIKI_MAX_CHARS` (Jira's default limit for a text field) is not
parsed at all, so one conversion costs at most about 1.7 million steps (a few
seconds). Either way, and when the parser fails, the text comes back
unconverted, whole, in a Markdown code fence longer than any run of backticks in
it, so nothing in it can close the fence. The count is of work, not time: the
same text gives the same Markdown on every machine and under any load, and
nothing keeps running once the budget is spent (no thread, no process).
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from jira2markdown.elements import MarkupElements
from jira2markdown.markup.text_effects import Monospaced
from pyparsing import FollowedBy, Forward, ParseException, ParserElement, Regex, Token

from connectors.jira.markup.fences import fence

__all__ = [
    "WIKI_BASE_STEPS",
    "WIKI_MAX_CHARS",
    "WIKI_STEPS_PER_CHAR",
    "jira_wiki_to_markdown",
]

log = logging.getLogger(__name__)

WIKI_MAX_CHARS = 32_767
"""Longer wiki text is returned fenced, unparsed (Jira's default text field limit)."""
WIKI_STEPS_PER_CHAR = 50
"""Parser steps allowed per character of wiki text (real descriptions: median 26)."""
WIKI_BASE_STEPS = 50_000
"""Parser steps allowed on top, so short text with dense markup still converts."""

# `{html}...{html}` is a Jira macro that jira2markdown leaves as it is, braces and
# all. Its content is already HTML, which Markdown carries verbatim, so we lift it
# out before conversion (so wiki rules do not rewrite it) and put it back after.
_HTML_MACRO = re.compile(r"\{html\}(.*?)(?:\{html\}|\Z)", re.DOTALL | re.IGNORECASE)
_PLACEHOLDER = "JIRAHTMLMACRO{}PLACEHOLDER"
_PLACEHOLDER_RE = re.compile(r"JIRAHTMLMACRO(\d+)PLACEHOLDER")


# jira2markdown.convert builds its grammar on every call and then tries all of its
# ~30 elements at every character. We build the same grammar once per thread (its
# list elements keep parse state, so threads do not share one) and put in front a
# cheap look-ahead for the characters any element can start with: the output is
# the same as `jira2markdown.convert` (a test checks this) and 5-10 times faster.
# `_parsers.converting` is the parser whose conversion the thread is running.
_ELEMENT_START = Regex(r"[\s*_\-+^~?{}\[\]|#!\\]|h[1-6]\.|bq\.|(?i:https?|ftp)://")
_parsers = threading.local()


class _ClosedOnItsLine(Token):
    """Matches nothing, where `{{` starts and `}}` follows on the same line.

    jira2markdown's `{{monospace}}` is a regex that, at every `{{`, scans the rest
    of the line for `}}`: a long line of `{{` costs quadratic time inside one
    step of the budget. `str.find` does the same search many times faster, and
    the regex then runs only where it will match (and consume what it scans).
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_name("{{...}} on one line")

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> tuple[int, list[str]]:
        if instring.startswith("{{", loc):
            end = instring.find("\n", loc)
            if instring.find("}}", loc + 2, len(instring) if end < 0 else end) >= 0:
                return loc, []
        raise ParseException(instring, loc, self.errmsg, self)


class _Monospaced(Monospaced):  # type: ignore[misc] # jira2markdown is untyped
    @property
    def expr(self) -> ParserElement:
        monospaced: ParserElement = super().expr
        return _ClosedOnItsLine() + monospaced


class _OverBudget(Exception):
    """The conversion used up its steps; raised from inside the parser."""


class _WikiParser:
    """jira2markdown's grammar with a step counter on every element in it.

    Every element of the grammar, down to the literals inside `SkipTo` scans and
    the expressions a scan skips over, counts one step each time it is tried (a
    pyparsing debug hook), so the work between two counts is small and bounded;
    past the budget the count raises `_OverBudget`, which unwinds the parse.
    """

    def __init__(self) -> None:
        elements = MarkupElements()
        elements.replace(Monospaced, _Monospaced)
        inline_markup = Forward()
        markup = Forward()
        inline_elements = [element for element in elements if element.is_inline_element]
        inline_markup <<= FollowedBy(_ELEMENT_START) + elements.expr(
            inline_markup, markup, {}, inline_elements
        )
        markup <<= FollowedBy(_ELEMENT_START) + elements.expr(inline_markup, markup, {}, elements)
        markup.streamline()
        inline_markup.streamline()
        self.grammar: ParserElement = markup
        self.steps_left = 0
        self._list_states: list[Any] = []
        # `inline_markup` is its own tree: elements reach it from their parse actions
        for element in _all_elements(markup, inline_markup):
            # only the "try" hook: pyparsing's "fail" hook path has a bug when the
            # count raises while skipping ignorables (UnboundLocalError). Some
            # elements are jira2markdown's module-level ones, shared by the parsers
            # of every thread: the hook counts for the parse its thread is running.
            element.debugActions = ParserElement.DebugActions(_count_step, None, None)
            element.debug = True
            state = getattr(element, "indent_state", None)  # jira2markdown's list nesting
            if state is not None and hasattr(state, "reset"):
                self._list_states.append(state)

    def count(self) -> None:
        """One step of this parser's conversion; `_OverBudget` past its budget."""
        self.steps_left -= 1
        if self.steps_left < 0:
            raise _OverBudget

    def convert(self, text: str, steps: int) -> str:
        """`text` as Markdown; `_OverBudget` after `steps` steps."""
        for state in self._list_states:
            state.reset()  # an earlier parse may have stopped in the middle of a list
        self.steps_left = steps
        outer, _parsers.converting = getattr(_parsers, "converting", None), self
        try:
            converted = self.grammar.transform_string(text)
        finally:
            self.steps_left = 0
            _parsers.converting = outer
        return converted if isinstance(converted, str) else text  # the library is untyped


def _count_step(*_: object, **__: object) -> None:
    """The grammar's hook: one step of the conversion this thread is running."""
    parser: _WikiParser | None = getattr(_parsers, "converting", None)
    if parser is not None:
        parser.count()


def _all_elements(*roots: ParserElement) -> list[ParserElement]:
    """Every element reachable from `roots`, including what `SkipTo` skips or fails on."""
    found: dict[int, ParserElement] = {}
    stack = list(roots)
    while stack:
        element = stack.pop()
        if id(element) in found:
            continue
        found[id(element)] = element
        stack.extend(element.recurse())
        stack.extend(element.ignoreExprs)
        for name in ("ignoreExpr", "failOn", "ignorer", "not_ender", "skipper"):
            part = getattr(element, name, None)
            if isinstance(part, ParserElement):
                stack.append(part)
    return list(found.values())


def _wiki_parser() -> _WikiParser:
    parser: _WikiParser | None = getattr(_parsers, "wiki", None)
    if parser is None:
        _parsers.wiki = parser = _WikiParser()
    return parser


def jira_wiki_to_markdown(text: str | None) -> str:
    """Convert Jira wiki markup to Markdown with jira2markdown's grammar.

    `{code}` and `{noformat}` become fenced code, `{panel}` and `{quote}` block
    quotes, `{html}` blocks keep their HTML. Text too long or too costly to
    parse (see the module docstring), or that the parser fails on, is returned
    unconverted, whole, in a code fence: never lost, never read as Markdown.
    """
    if not text:
        return ""
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(source) > WIKI_MAX_CHARS:
        return _unconverted(source, "over the size limit")
    html_blocks: list[str] = []

    def _lift(match: re.Match[str]) -> str:
        html_blocks.append(match.group(1).strip("\n"))
        return "\n\n" + _PLACEHOLDER.format(len(html_blocks) - 1) + "\n\n"

    lifted = _HTML_MACRO.sub(_lift, source)
    steps = WIKI_BASE_STEPS + WIKI_STEPS_PER_CHAR * len(lifted)
    try:
        converted = _wiki_parser().convert(lifted, steps)
    except _OverBudget:
        return _unconverted(source, "over the work budget")
    except Exception as error:  # noqa: BLE001 - a parser failure must not lose the text
        return _unconverted(source, f"the parser failed ({type(error).__name__})")
    if html_blocks:
        converted = _PLACEHOLDER_RE.sub(
            lambda m: (
                html_blocks[int(m.group(1))] if int(m.group(1)) < len(html_blocks) else m.group(0)
            ),
            converted,
        )
    return converted.strip("\n")


def _unconverted(source: str, why: str) -> str:
    """The wiki text as it is, fenced as code so that nothing in it is read as Markdown."""
    log.info("Jira text of %d characters left unconverted: %s", len(source), why)
    return fence(source.strip("\n"))
