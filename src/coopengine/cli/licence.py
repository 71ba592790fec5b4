"""``coop licence``: the knowledge base's facts on one licence or exception, with their sources."""

from __future__ import annotations

import click

from .common import emit, emit_json, format_option, kb_option
from .main import run


@click.command("licence")
@click.argument("licence_id", metavar="ID")
@format_option("text", "json")
@kb_option
def command(licence_id: str, fmt: str, kb: tuple[str, ...]) -> None:
    """Facts and sources for one licence or exception id (case-insensitive; deprecated ids mapped)."""
    from ..errors import InputError, Location, did_you_mean
    from ..explain import licence_dict, licence_text
    from ..expressions import DEPRECATED, vocabulary
    from ..knowledge import load_knowledge
    from ..knowledge.model import ExceptionFacts, LicenceFacts

    knowledge = load_knowledge(kb)
    vocab = vocabulary()
    wanted = licence_id.strip()
    canonical = (
        vocab.licence(wanted)
        or vocab.exception(wanted)
        or next((k for k in knowledge.licences if k.lower() == wanted.lower()), None)
        or next((k for k in knowledge.exceptions if k.lower() == wanted.lower()), None)
    )
    if canonical is None and wanted.lower() in vocab.deprecated:
        canonical = vocab.deprecated[wanted.lower()].partition(" WITH ")[0]
    facts: LicenceFacts | ExceptionFacts | None = knowledge.licence(canonical) if canonical else None
    facts = facts or (knowledge.exception(canonical) if canonical else None)
    if facts is None:
        hits = did_you_mean(wanted, [*knowledge.licences, *knowledge.exceptions, *DEPRECATED])
        raise InputError(
            f"unknown licence or exception id {wanted!r}",
            location=Location("ID"),
            text=wanted,
            expected="an SPDX licence or exception id, or a LicenseRef- described with --kb",
            hint=("did you mean " + " or ".join(hits) + "?") if hits else None,
        )
    if fmt == "json":
        emit_json(licence_dict(facts, knowledge))
    else:
        emit(licence_text(facts, knowledge))
    run(0)
