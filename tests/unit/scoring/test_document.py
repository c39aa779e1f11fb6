from __future__ import annotations

import random
import re

from service.scoring.document import _path_tokens, area_of, parse


def test_prose_and_code_are_kept_apart() -> None:
    doc = parse(
        "Fix the parser",
        "Why? Because.\n\n```\nwhat? TODO\n```\n\nCall `parse_one()` here.",
    )
    assert "what?" not in doc.prose
    assert doc.code_blocks[0].content == "what? TODO\n"
    assert doc.inline_code == ("parse_one()",)


def test_sections_and_checklists() -> None:
    doc = parse(
        "t",
        "Intro\n\n## Acceptance criteria\n\n- [ ] one\n- [x] two\n\n## Notes\n\n- plain",
    )
    assert doc.headings == ("Acceptance criteria", "Notes")
    criteria = doc.sections[1]
    assert [(i.text, i.checked) for i in criteria.checklist] == [("one", False), ("two", True)]
    assert doc.list_items == ("one", "two", "plain")


def test_refs_carry_the_prose_before_and_after_and_their_section() -> None:
    doc = parse(
        "Add export",
        "This is blocked by #12.\n\n## Depends on\n\n- PROJ-7 until it lands",
    )
    by_target = {ref.target: ref for ref in doc.refs}
    assert by_target["#12"].context.endswith("blocked by ")
    assert by_target["#12"].section == ""
    assert by_target["PROJ-7"].section == "depends on"
    assert by_target["PROJ-7"].after.startswith(" until it lands")


def test_github_urls_are_refs() -> None:
    doc = parse(
        "t", "See https://github.com/acme/app/issues/40 and [this](https://github.com/a/b/pull/3)"
    )
    assert {"acme/app#40", "a/b#3"} <= {ref.target for ref in doc.refs}


def test_areas_share_a_directory() -> None:
    assert area_of("service/scoring/clarity.py") == area_of("service/scoring/size.py")
    assert area_of("./src/app/") == "src/app"
    assert area_of("setup.py") == "setup.py"


def test_areas_from_paths_and_code_but_not_prose_slashes() -> None:
    doc = parse(
        "Fix `src/app/main.py`",
        "Works for client/server and and/or setups. Also touch docs/guide/ and `lib/util`.",
    )
    assert doc.areas == ("docs/guide", "lib/util", "src/app")


def test_urls_and_ticket_refs_are_not_areas() -> None:
    doc = parse("t", "See https://example.com/a/b/c.html and acme/app#12.")
    assert doc.areas == ()


def test_html_comments_are_collected_not_prose() -> None:
    doc = parse("t", "<!-- hidden note -->\nVisible text.")
    assert doc.html_comments == ("hidden note",)
    assert "hidden" not in doc.prose


def test_path_tokens_are_the_tokens_with_a_slash_or_a_dot_before_a_letter() -> None:
    rng = random.Random(3)
    alphabet = "ab/. \n\tZ9\u3000\x1c,\u00e9"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        expected = [
            token for token in text.split() if "/" in token or re.search(r"\.[A-Za-z]", token)
        ]
        assert list(_path_tokens(text)) == expected, repr(text)
