"""Human-facing renderings of a :class:`~spintrace.comparison.Comparison`.

HTML for sharing and for the web server (same markup in both), rich output for the terminal.
"""

from spintrace.report.html import render_html, render_report_fragment, report_css, report_js
from spintrace.report.terminal import render_terminal

__all__ = ["render_html", "render_report_fragment", "render_terminal", "report_css", "report_js"]
