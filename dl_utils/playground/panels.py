"""The playground's text panels as HTML: the status line and the per-layer statistics.

The status line carries, besides its text, a run counter and a state in
``data-`` attributes (``data-run``, ``data-state``, ``data-iteration``), so that
a browser test can wait for a given run to be drawn instead of sleeping.
"""

import html
import math

from .statistics import describe


def status_html(run, state, text, iteration):
    """The status line.

    run: the request number this frame belongs to. state: "training", "done",
    "paused", "diverged", "error" or "ready". text: what the line says.
    iteration: the network's iteration count.
    """
    return (
        f'<div class="pg-status-line" data-run="{run}" data-state="{state}" '
        f'data-iteration="{iteration}">{html.escape(text)}</div>'
    )


def status_text(cost, train_accuracy, test_accuracy, iterations, train_ms, draw_ms, note=""):
    """E.g. "cost 0.123 | train 97.5% | test 95.0% | trained 1000 it in 85 ms, drawn in 30 ms"."""
    text = (
        f"cost {cost:.3f} | train {100 * train_accuracy:.1f}% | test {100 * test_accuracy:.1f}% | "
        f"trained {iterations} it in {train_ms:.0f} ms, drawn in {draw_ms:.0f} ms"
    )
    return f"{text} | {note}" if note else text


def _bar(value, color):
    """A bar whose length grows with log10(value): 1e-8 is empty, 1e3 is full."""
    if not math.isfinite(value) or value <= 0:
        share = 0.0
    else:
        share = min(max((math.log10(value) + 8) / 11, 0.0), 1.0)
    return (
        f'<span class="pg-bar" style="display:inline-block;width:{share * 90:.0f}px;'
        f'height:0.8em;background:{color};margin-right:6px;vertical-align:middle"></span>'
    )


def _cell(value, color):
    return f"<td>{_bar(value, color)}{value:.1e}</td>"


def statistics_html(start, now, iteration):
    """A table with one row per layer: std of A{l} and of dW{l}, at the start and now.

    start, now: lists of ``LayerStatistics`` (see statistics.py), one per layer.
    iteration: the iteration "now" refers to.
    Under the table, one sentence for each layer with something to notice.
    """
    rows = []
    for first, current in zip(start, now):
        name = f"{first.layer} (output)" if first.layer == len(start) else str(first.layer)
        notes = sorted(set(first.notes) | set(current.notes))
        rows.append(
            f'<tr class="pg-layer" data-notes="{" ".join(notes)}"><td>{name}</td>'
            f"<td>{first.units}</td>"
            + _cell(first.activation_std, "#7e57c2")
            + _cell(current.activation_std, "#7e57c2")
            + _cell(first.gradient_std, "#ef6c00")
            + _cell(current.gradient_std, "#ef6c00")
            + f"<td>{', '.join(notes)}</td></tr>"
        )
    sentences = [f"at iteration {iteration}, {s}" for s in describe(now)]
    changed = [first for first, current in zip(start, now) if first.notes != current.notes]
    sentences += [f"at the start, {s}" for s in describe(changed)]
    notes = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
    return (
        '<div class="pg-statistics-table">'
        "<b>Layer by layer</b> (std = standard deviation over all entries; "
        "bars on a log scale)"
        '<table style="border-collapse:separate;border-spacing:12px 2px;font-size:0.9em">'
        "<tr><th>layer</th><th>units</th><th>std(A) start</th>"
        f"<th>std(A) it {iteration}</th><th>std(dW) start</th><th>std(dW) it {iteration}</th>"
        "<th>notes</th></tr>" + "".join(rows) + "</table>"
        f'<ul class="pg-notes">{notes}</ul></div>'
    )
