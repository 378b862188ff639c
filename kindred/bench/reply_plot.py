"""A picture of `kindred bench replies`: the share of replies passing each check, Kindred against the baseline."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .reply_checks import CHECKS

SERIES = (("single", "kindred", "Kindred, single messages"), ("single", "baseline", "plain prompt, single messages"),
          ("conversation", "kindred", "Kindred, conversation turns"),
          ("conversation", "baseline", "plain prompt, conversation turns"))


def plot_pass_rates(figures: dict[str, Any], path: Path) -> str:
    """Write the PNG and return its path ("" without matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return ""
    names = ("pass_all", *CHECKS)
    fig, axes = plt.subplots(2, 1, figsize=(10, 7), dpi=110, sharex=True)
    width = 0.2
    for ax, language in zip(axes, ("en", "ko")):
        for offset, (kind, side, label) in enumerate(SERIES):
            if figures.get(f"{language}_{kind}_pass_all_{side}") is None:
                continue  # not in this run (one language only, or --no-baseline)
            values = [figures.get(f"{language}_{kind}_{name}_{side}" if name != "pass_all"
                                  else f"{language}_{kind}_pass_all_{side}") or 0.0 for name in names]
            positions = [i + (offset - 1.5) * width for i in range(len(names))]
            ax.bar(positions, values, width, label=label, alpha=0.9 if side == "kindred" else 0.5,
                   hatch="" if kind == "single" else "//")
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("share passing")
        ax.set_title({"en": "English", "ko": "Korean"}[language])
        ax.grid(axis="y", alpha=0.3)
    axes[-1].set_xticks(range(len(names)), [n.replace("_", " ") for n in names], rotation=20)
    axes[0].legend(loc="lower left", fontsize=8, ncol=2)
    fig.suptitle("kindred bench replies: every reply checked, Kindred against the same model on a plain prompt")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return str(path)
