"""Charts of the weekly report as base64 PNG data URIs (matplotlib's Agg canvas, no pyplot, no files).

Each function takes the small frames of ReportData and returns a "data:image/png;base64,..." string,
or None when there is nothing to draw.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .formatting import format_int, format_money, format_pct
from .labels import DEFAULT_LANG, code_label, label

INK, GRID, ACCENT, ALERT, MUTED = "#1f2937", "#e5e7eb", "#2563eb", "#dc2626", "#9ca3af"
CODE_COLORS = {
    "current": "#15803d",
    "active": "#4ade80",
    "inactive": "#dc2626",
    "potential": "#2563eb",
    "probable": "#93c5fd",
    "very_high": "#1e3a8a",
    "high": "#2563eb",
    "medium": "#60a5fa",
    "low": "#bfdbfe",
    "frequent": "#065f46",
    "habitual": "#10b981",
    "occasional": "#a7f3d0",
}
DPI = 110


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    fig.set_facecolor("white")
    return fig


def _style(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(MUTED)
    ax.spines["bottom"].set_color(MUTED)
    ax.tick_params(colors=INK, labelsize=9)
    ax.grid(color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _to_data_uri(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _percent_axis(axis: Axis, lang: str) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: format_pct(v, 0, lang)))


def distribution_chart(df: pd.DataFrame, kind: str, currency: str, lang: str = DEFAULT_LANG) -> str | None:
    """Two horizontal bar panels: customers and revenue per code (status / volume / frequency)."""
    if df.empty or df["customers"].sum() == 0:
        return None
    names = [code_label(kind, code, lang) for code in df["code"]]
    colors = [CODE_COLORS.get(code, ACCENT) for code in df["code"]]
    y = np.arange(len(df))[::-1]
    fig = _figure(9, 0.5 * len(df) + 1.3)
    panels = fig.subplots(1, 2, sharey=True)
    specs = [
        ("customers", "legend.count", lambda v: format_int(v, lang)),
        ("net_revenue", "legend.revenue", lambda v: format_money(v, currency, lang)),
    ]
    for ax, (column, title, fmt) in zip(panels, specs, strict=False):
        values = df[column].to_numpy(dtype=float)
        ax.barh(y, values, color=colors, height=0.65)
        ax.set_title(label(title, lang), fontsize=10, color=INK, loc="left")
        ax.set_xlim(0, max(values.max(), 1) * 1.3)
        for yi, value in zip(y, values, strict=False):
            ax.text(value, yi, " " + fmt(value), va="center", fontsize=8.5, color=INK)
        ax.xaxis.set_visible(False)
        _style(ax)
        ax.grid(False)
        ax.spines["bottom"].set_visible(False)
    panels[0].set_yticks(y, names)
    return _to_data_uri(fig)


def pareto_chart(
    pareto: pd.DataFrame, top_share: float | None, pareto_share: float, lang: str = DEFAULT_LANG
) -> str | None:
    """The Pareto curve with the revenue share that defines the top group (var pareto_share) marked, and the
    share of buyers who make it (`top_share`)."""
    if len(pareto) < 2:
        return None
    share_text = format_pct(pareto_share, 1, lang)
    fig = _figure(7.5, 4.6)
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], linestyle="--", color=MUTED, linewidth=1, label=label("legend.equal", lang))
    ax.plot(pareto["customer_share"], pareto["revenue_share"], color=ACCENT, linewidth=2.2)
    ax.axhline(pareto_share, color=ALERT, linewidth=1, linestyle=":")
    ax.text(
        1.0,
        pareto_share + 0.01,
        label("pareto.line", lang, pareto_share=share_text),
        color=ALERT,
        fontsize=8.5,
        ha="right",
        va="bottom",
    )
    if top_share is not None:
        ax.axvline(top_share, ymax=pareto_share / 1.05, color=ALERT, linewidth=1, linestyle=":")
        ax.plot([top_share], [pareto_share], "o", color=ALERT, markersize=7)
        text = label("pareto.marker", lang, customers=format_pct(top_share, 1, lang), pareto_share=share_text)
        ax.annotate(
            text,
            (top_share, pareto_share),
            xytext=(12, -28),
            textcoords="offset points",
            fontsize=9.5,
            color=INK,
            fontweight="bold",
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.05)
    _percent_axis(ax.xaxis, lang)
    _percent_axis(ax.yaxis, lang)
    ax.set_xlabel(label("axis.customer_share", lang), fontsize=9.5)
    ax.set_ylabel(label("axis.revenue_share", lang), fontsize=9.5)
    ax.legend(loc="lower right", fontsize=8.5, frameon=False)
    _style(ax)
    return _to_data_uri(fig)


def cohort_heatmap(cohorts: pd.DataFrame, lang: str = DEFAULT_LANG) -> str | None:
    """Cohort rows x months since first purchase; percentages in the cells when they fit."""
    if cohorts.empty:
        return None
    grid = cohorts.pivot_table(index="cohort_month", columns="period_number", values="retention_rate", aggfunc="first")
    sizes = cohorts.groupby("cohort_month")["cohort_size"].first()
    rows, cols = grid.shape
    later = grid.to_numpy(dtype=float)[:, np.asarray(grid.columns) > 0]
    vmax = float(np.nanmax(later)) if later.size and not np.isnan(later).all() else 1.0
    vmax = max(vmax, 0.01)
    fig = _figure(max(6.0, 2.2 + 0.42 * cols), max(2.5, 1.3 + 0.3 * rows))
    ax = fig.subplots()
    values = grid.to_numpy(dtype=float)
    image = ax.imshow(np.ma.masked_invalid(values), cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
    if cols <= 25:
        for (r, c), value in np.ndenumerate(values):
            if not np.isnan(value):
                ax.text(
                    c,
                    r,
                    format_pct(value, 0, lang),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if value > 0.6 * vmax else INK,
                )
    ax.set_xticks(range(cols), [str(c) for c in grid.columns], fontsize=8)
    ylabels = [f"{pd.Timestamp(m):%Y-%m}  ({format_int(sizes[m], lang)})" for m in grid.index]
    ax.set_yticks(range(rows), ylabels, fontsize=8)
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(label("axis.months_since_first", lang), fontsize=9.5)
    ax.set_ylabel(label("axis.cohort", lang), fontsize=9.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    colorbar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.01)
    _percent_axis(colorbar.ax.yaxis, lang)
    colorbar.ax.tick_params(labelsize=8)
    return _to_data_uri(fig)


def p_alive_histogram(hist: pd.DataFrame | None, p_alive_max: float, lang: str = DEFAULT_LANG) -> str | None:
    """Customers by chance of still buying; bins below the alert threshold (var alert_p_alive_max) in red."""
    if hist is None or hist["customers"].sum() == 0:
        return None
    fig = _figure(7.5, 3.4)
    ax = fig.subplots()
    centers = (hist["bin_start"] + hist["bin_end"]) / 2
    colors = [ALERT if start < p_alive_max else ACCENT for start in hist["bin_start"]]
    ax.bar(centers, hist["customers"], width=0.09, color=colors)
    ax.set_xlim(0, 1)
    _percent_axis(ax.xaxis, lang)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_int(v, lang)))
    ax.set_xlabel(label("axis.p_alive", lang), fontsize=9.5)
    ax.set_ylabel(label("axis.customers", lang), fontsize=9.5)
    _style(ax)
    return _to_data_uri(fig)
