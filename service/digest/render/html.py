"""The digest as one HTML page for mail clients: inline CSS, every value
escaped (the one Jinja environment autoescapes HTML templates)."""

from __future__ import annotations

from service.digest.content import Digest
from service.digest.render.common import change_text, claim_note, sections, subject, when_text
from service.tickets.store import estimate_text
from service.untrusted import environment


def render_html(d: Digest) -> str:
    """The digest as one HTML page for mail clients: inline CSS, every value escaped."""
    template = environment().get_template("digest.html.j2")
    rows = [
        {
            "key": s.key,
            "heading": s.heading,
            "total": s.total,
            "empty": s.empty,
            "tickets": s.tickets.items if s.tickets is not None else (),
            "claims": [(c, claim_note(c, d.stale_claim_hours)) for c in s.claims.items]
            if s.claims is not None
            else [],
            "more": (s.claims.more if s.claims is not None else s.tickets.more if s.tickets else 0),
        }
        for s in sections(d)
    ]
    return template.render(
        d=d,
        sections=rows,
        subject=subject(d),
        hours=estimate_text,
        change=change_text,
        when=when_text,
    )
