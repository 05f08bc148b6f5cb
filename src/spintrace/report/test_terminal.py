"""Terminal report tests: the verdict and the evidence reach the console, markup does not."""

from __future__ import annotations

from rich.console import Console

from spintrace.comparison import Comparison, Direction
from spintrace.report import render_terminal
from spintrace.report.test_html import sample_comparison


def _render(c: Comparison, **kwargs: object) -> str:
    console = Console(record=True, width=120, color_system=None)
    render_terminal(c, console, **kwargs)  # type: ignore[arg-type]
    return console.export_text()


def test_verdict_scores_and_change_shown() -> None:
    out = _render(sample_comparison(), source_label="tass.ru", suspect_label="copy.example")
    assert out.lstrip().startswith("PARTIAL")
    assert "0.71" in out and "62%" in out and "66%" in out
    assert "tass.ru is likely the original" in out
    assert "Kassym-Jomart \u2192 Kasim-Jomart" in out
    assert "4.8% \u2192 5.1%" in out
    assert "Omitted from copy.example" in out and "Added by copy.example" in out
    assert "Aligned passages" in out


def test_rich_markup_in_text_and_labels_is_literal() -> None:
    c = sample_comparison()
    c.suspect_text = c.suspect_text.replace("Critics", "[bold red]Critics[/]")
    c.added[0] = type(c.added[0])(c.added[0].start, len(c.suspect_text))
    out = _render(c, suspect_label="[link=x]lbl[/link]", verbose=True)
    assert "[bold red]Critics[/]" in out
    assert "[link=x]lbl[/link]" in out


def test_verbose_and_empty() -> None:
    out = _render(sample_comparison(), verbose=True)
    assert "suspect re-transliterates names" in out
    c = Comparison(
        verdict="unrelated", score=0.02, suspect_coverage=0.0, source_coverage=0.0,
        passages=[], omitted=[], added=[], direction=Direction("unknown", 0.0),
        source_text="a", suspect_text="b",
    )
    out = _render(c)
    assert "UNRELATED" in out and "original unknown" in out


def test_readable_at_80_columns_with_substitutions() -> None:
    from spintrace.report.test_html_edits import edited_comparison

    console = Console(record=True, width=80, color_system=None)
    c = edited_comparison()
    render_terminal(c, console, source_label="source.txt", suspect_label="suspect.txt")
    out = console.export_text()
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "Substitutions" in out
    assert any("alliance" in line and "coalition" in line and line.rstrip().endswith("1") for line in out.splitlines())
    # the passage excerpts get whole words, not 6-character columns
    assert "\u2190 The embattled" in out and "\u2192 The troubled" in out
    wide = Console(record=True, width=140, color_system=None)
    render_terminal(c, wide)
    assert "source chars" in wide.export_text()


def test_a_verdict_made_on_part_of_the_source_says_so() -> None:
    c = sample_comparison()
    assert "PART:" not in _render(c)
    c.features["source_part_share"] = 0.31
    out = _render(c, source_label="tass.ru", suspect_label="copy.example")
    assert "PART: judged against the part of tass.ru copy.example copies (31% of tass.ru)" in " ".join(out.split())


def test_a_partial_copy_inside_another_article_says_why_the_rest_does_not_count() -> None:
    c = sample_comparison()
    assert c.reused and "WHY:" not in _render(c)
    c.features.update(mean_derivation=0.8, derived_links=0.4, unlinked_similarity=0.2, unlinked_share=0.61)
    out = " ".join(_render(c, source_label="tass.ru").split())
    assert ("WHY: 61% of the suspect is about something else (nothing in tass.ru resembles it): "
            "the linked sentences were copied into it") in out


def test_a_condensed_copy_says_what_the_flag_rests_on() -> None:
    from spintrace.report import render_html

    c = sample_comparison()
    assert "CONDENSED" not in _render(c)
    c.condensed = True
    out = " ".join(_render(c, source_label="tass.ru", suspect_label="digest.example").split())
    assert "CONDENSED: a condensed copy, digest.example retells much of tass.ru in far fewer words" in out
    # The flag rests on facts told in the source's order: the reader is told what else shares that.
    assert "same fact list or press release" in out
    page = render_html(c, source_label="tass.ru", suspect_label="digest.example")
    assert "condensed: digest.example retells much of tass.ru" in page
    assert "same fact list or press release" in page


def test_a_wrapped_header_line_never_starts_with_a_separator_dot() -> None:
    for width in range(40, 100):
        console = Console(record=True, width=width, color_system=None)
        render_terminal(sample_comparison(), console, source_label="a-long-source-name.txt",
                        suspect_label="a-long-suspect-name.txt")
        assert not any(line.lstrip().startswith("\u00b7") for line in console.export_text().splitlines()), width
