"""``coop licence``: the knowledge base's facts on one licence or exception, with their sources."""

from __future__ import annotations

import click

from .common import dump_json, emit, format_option, kb_option
from .main import run


@click.command("licence")
@click.argument("licence_id", metavar="ID")
@format_option("text", "json")
@kb_option
def command(licence_id: str, fmt: str, kb: tuple[str, ...]) -> None:
    """Facts and sources for one licence or exception id, read as coop compat reads it
    (case-insensitive; a deprecated id is shown as what it is read as)."""
    from ..errors import InputError, Location
    from ..explain import licence_dict, licence_text
    from ..expressions import Leaf, leaves, parse_expression, vocabulary
    from ..knowledge import load_knowledge
    from ..knowledge.model import ExceptionFacts, LicenceFacts

    knowledge = load_knowledge(kb)
    wanted = licence_id.strip()
    exception = vocabulary().exception(wanted) or next(
        (k for k in knowledge.exceptions if k.lower() == wanted.lower()), None
    )
    shown: list[LicenceFacts | ExceptionFacts] = []
    parsed = None
    if exception is not None and knowledge.exception(exception) is not None:
        shown.append(knowledge.exception(exception))  # type: ignore[arg-type]
    else:
        # The deciding commands' own reading: deprecated ids, case and "+" as they read them.
        parsed = parse_expression(wanted, source="ID")
        leaf = parsed.expression
        if not isinstance(leaf, Leaf):
            ids = ", ".join(sorted({x.key for x in leaves(leaf)}))
            raise InputError(
                f"{parsed.normalised} is a licence expression, not one licence",
                location=Location("ID"),
                text=wanted,
                expected="one licence or exception id",
                hint=f"coop expr '{parsed.normalised}' takes it apart; coop licence ID shows each of {ids}",
            )
        facts = knowledge.licence(leaf.id) or next(
            (f for k, f in knowledge.licences.items() if k.lower() == leaf.id.lower()), None
        )
        if facts is None:
            raise InputError(
                f"no facts on {leaf.id}",
                location=Location("ID"),
                text=wanted,
                expected="an SPDX licence or exception id, or a LicenseRef- described with --kb",
            )
        shown.append(facts)
        if leaf.exception and knowledge.exception(leaf.exception) is not None:
            shown.append(knowledge.exception(leaf.exception))  # type: ignore[arg-type]
    if fmt == "json":
        data = licence_dict(shown[0], knowledge)
        data["input"] = wanted
        data["read_as"] = parsed.normalised if parsed else shown[0].id
        data["notes"] = list(parsed.notes) if parsed else []
        data["exception"] = licence_dict(shown[1], knowledge) if len(shown) > 1 else None
        emit(dump_json(data))
    else:
        emit("".join(licence_text(f, knowledge, parsed if i == 0 else None) for i, f in enumerate(shown)))
    run(0)
