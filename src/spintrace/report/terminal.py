"""Terminal rendering of a comparison with rich.

The verdict comes first because that is what someone running ``spintrace compare`` in a shell
wants to read; the tables below are the evidence. Article text is only ever put into ``Text``
objects (never parsed as markup), so brackets in an article cannot restyle or break the output.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from spintrace.comparison import Change, Comparison, Span
from spintrace.report._text import excerpt, grounds_note, part_note, the

__all__ = ["render_terminal"]

_VERDICT_STYLE: dict[str, str] = {
    "verbatim": "bold white on red",
    "paraphrase": "bold white on dark_orange3",
    "partial": "bold black on yellow",
    "same-story": "bold white on blue",
    "unrelated": "bold white on green",
}

_VERDICT_HINT: dict[str, str] = {
    "verbatim": "the reused text is copied from the source largely word for word",
    "paraphrase": "the reused text rewrites the source sentence by sentence",
    "partial": "parts of the suspect are taken from the source",
    "same-story": "same events, but the wording is not reused",
    "unrelated": "no meaningful overlap",
}

_KIND_STYLE: dict[str, str] = {"exact": "red", "near": "dark_orange3", "paraphrase": "yellow"}

#: Rows shown per table unless ``verbose``: a long article can have hundreds of runs.
_ROW_LIMIT = 25


def _change_text(change: Change) -> Text:
    old = change.source_text if change.source_text is not None else "(none)"
    new = change.suspect_text if change.suspect_text is not None else "(none)"
    return Text.assemble((old, "red"), " \u2192 ", (new, "green"))


def _spans_table(title: str, spans: list[Span], text: str, excerpt_len: int, verbose: bool) -> Table:
    table = Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD, expand=False)
    table.add_column("chars", no_wrap=True)
    table.add_column("len", justify="right")
    table.add_column("text", overflow="fold")
    shown = spans if verbose else spans[:_ROW_LIMIT]
    for s in shown:
        table.add_row(f"{s.start}\u2013{s.end}", str(len(s)), Text(excerpt(text, s.start, s.end, excerpt_len)))
    if len(shown) < len(spans):
        table.add_row("\u2026", "", Text(f"{len(spans) - len(shown)} more (use verbose)", style="dim"))
    return table


#: Below this width the passages table stacks the two excerpts in one column instead of side by
#: side with the character ranges (at 80 columns seven columns leave ~6 characters of text each).
_WIDE = 110


def _substitutions_table(c: Comparison, source_label: str, suspect_label: str, verbose: bool) -> Table:
    table = Table(title=Text("Substitutions", style="bold"), title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column(Text(source_label), overflow="fold")
    table.add_column(Text(suspect_label), overflow="fold")
    table.add_column("times", justify="right")
    shown = c.substitutions if verbose else c.substitutions[:_ROW_LIMIT]
    for sub in shown:
        table.add_row(Text(sub.source, style="red"), Text(sub.suspect, style="green"), str(sub.count))
    if len(shown) < len(c.substitutions):
        table.add_row("\u2026", Text(f"{len(c.substitutions) - len(shown)} more", style="dim"), "")
    return table


def _passages_table(c: Comparison, width: int, source_label: str, suspect_label: str, excerpt_len: int, verbose: bool) -> Table:
    table = Table(title=Text("Aligned passages", style="bold"), title_justify="left", box=box.SIMPLE_HEAD)
    wide = width >= _WIDE
    table.add_column("#", justify="right")
    if wide:
        table.add_column(Text(f"{source_label} chars"), no_wrap=True)
        table.add_column(Text(f"{suspect_label} chars"), no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("sim.", justify="right")
    if wide:
        table.add_column(Text(source_label), overflow="fold", ratio=1)
        table.add_column(Text(suspect_label), overflow="fold", ratio=1)
    else:
        table.add_column(Text(f"{source_label} / {suspect_label}"), overflow="fold", ratio=1)
    shown = c.passages if verbose else c.passages[:_ROW_LIMIT]
    for i, p in enumerate(shown):
        src = excerpt(c.source_text, p.source_start, p.source_end, excerpt_len)
        sus = excerpt(c.suspect_text, p.suspect_start, p.suspect_end, excerpt_len)
        kind = Text(p.kind, style=_KIND_STYLE.get(p.kind, ""))
        if wide:
            table.add_row(str(i + 1), f"{p.source_start}\u2013{p.source_end}", f"{p.suspect_start}\u2013{p.suspect_end}",
                          kind, f"{p.similarity:.2f}", Text(src), Text(sus))
        else:
            both = Text.assemble(("\u2190 ", "dim"), src, "\n", ("\u2192 ", "dim"), sus)
            table.add_row(str(i + 1), kind, f"{p.similarity:.2f}", both)
    return table


def render_terminal(
    comparison: Comparison,
    console: Console,
    *,
    source_label: str = "source",
    suspect_label: str = "suspect",
    verbose: bool = False,
) -> None:
    """Print the comparison to ``console``; ``verbose`` lifts row limits, lengthens excerpts and
    adds direction evidence, sentence links and raw features (useful when tuning thresholds)."""
    c = comparison
    excerpt_len = 120 if verbose else 50

    header = Text()
    header.append(f" {c.verdict.upper()} ", style=_VERDICT_STYLE.get(c.verdict, "bold reverse"))
    header.append(f"  {_VERDICT_HINT.get(c.verdict, '')}", style="italic")
    if getattr(c, "condensed", False):
        header.append("  CONDENSED", style="bold magenta")
        header.append(f": a condensed copy, {the(suspect_label)} retells much of {the(source_label)} in far fewer words"
                      " (the facts in the same order: a brief written from the same fact list or press release"
                      " would share that)", style="italic")
    part = part_note(c, source_label, suspect_label)
    if part:
        header.append("  PART", style="bold cyan")
        header.append(f": {part}", style="italic")
    grounds = grounds_note(c, source_label, suspect_label)
    if grounds:
        header.append("  WHY", style="bold cyan")
        header.append(f": {grounds}", style="italic")
    if c.translated:
        kind = ("partly translated copy" if c.parts else "translated copy") if c.reused else "different languages"
        header.append(f"  [{kind}: {c.source_language} \u2192 {c.suspect_language}]", style="bold")
    console.print(header)

    n_changes = sum(len(p.changes) for p in c.passages)
    stats = Text()
    stats.append("score ", style="dim")
    stats.append(f"{c.score:.2f}", style="bold")
    stats.append(f"   {suspect_label} reused ", style="dim")
    stats.append(f"{c.suspect_coverage * 100:.0f}%", style="bold")
    stats.append(f"   {source_label} reused ", style="dim")
    stats.append(f"{c.source_coverage * 100:.0f}%", style="bold")
    # commas, not " · ": a line wrapped at the space before a dot started with the dot
    counts = [f"passages {len(c.passages)}", f"omitted {len(c.omitted)}", f"added {len(c.added)}",
              f"changed details {n_changes}", f"substitutions {sum(s.count for s in c.substitutions)}"]
    stats.append("   " + ", ".join(counts), style="dim")
    console.print(stats)

    d = c.direction
    direction = Text("direction ", style="dim")
    if d.original == "unknown":
        direction.append("original unknown", style="bold")
    else:
        label = source_label if d.original == "source" else suspect_label
        direction.append(f"{label} is likely the original", style="bold")
    direction.append(f" (confidence {d.confidence * 100:.0f}%)", style="dim")
    console.print(direction)
    if verbose:
        for e in d.evidence:
            console.print(Text(f"  \u2022 {e}", style="dim"))

    changes = [(i, ch) for i, p in enumerate(c.passages) for ch in p.changes]
    if changes:
        table = Table(title=Text("Changed details", style="bold"), title_justify="left", box=box.SIMPLE_HEAD)
        table.add_column("kind")
        table.add_column("change", overflow="fold")
        table.add_column("passage", justify="right")
        shown = changes if verbose else changes[:_ROW_LIMIT]
        for i, ch in shown:
            table.add_row(Text(ch.kind), _change_text(ch), f"#{i + 1}")
        if len(shown) < len(changes):
            table.add_row("\u2026", Text(f"{len(changes) - len(shown)} more", style="dim"), "")
        console.print(table)

    if c.substitutions:
        console.print(_substitutions_table(c, source_label, suspect_label, verbose))

    if c.passages:
        table = _passages_table(c, console.width, source_label, suspect_label, excerpt_len, verbose)
        shown_p = c.passages if verbose else c.passages[:_ROW_LIMIT]
        if len(shown_p) < len(c.passages):
            more = Text(f"{len(c.passages) - len(shown_p)} more", style="dim")
            table.add_row("\u2026", *([""] * (len(table.columns) - 2)), more)
        console.print(table)
        if verbose:
            for i, p in enumerate(c.passages):
                for link in p.links:
                    console.print(
                        Text(
                            f"  #{i + 1} link {link.source_start}\u2013{link.source_end} \u2194 "
                            f"{link.suspect_start}\u2013{link.suspect_end} sim {link.similarity:.2f}",
                            style="dim",
                        )
                    )

    if c.omitted:
        console.print(
            _spans_table(f"Omitted from {suspect_label}", c.omitted, c.source_text, excerpt_len * 2, verbose)
        )
    if c.added:
        console.print(_spans_table(f"Added by {suspect_label}", c.added, c.suspect_text, excerpt_len * 2, verbose))

    if verbose and c.features:
        table = Table(title=Text("Features", style="bold"), title_justify="left", box=box.SIMPLE_HEAD)
        table.add_column("name")
        table.add_column("value", justify="right")
        for k, v in sorted(c.features.items()):
            table.add_row(Text(k), f"{float(v):.4f}")
        console.print(table)
