"""Plot a pretraining run's log history (train loss, dev loss, dev masked-character accuracy) to a PNG.

    python scripts/plot_loss.py runs/pretrain-cpu/log_history.json -o docs/pretrain_loss.png

Needs matplotlib (pip install -e .[pretrain]).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def plot_history(history: list[dict], out: Path, title: str | None = None) -> dict[str, float]:
    """Write the figure; return the last train loss, dev loss and dev accuracy for the caption."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on training machines
    import matplotlib.pyplot as plt

    train = [(h["step"], h["loss"]) for h in history if "loss" in h and "step" in h]
    evals = [(h["step"], h["eval_loss"], h.get("eval_masked_acc")) for h in history if "eval_loss" in h]
    if not train:
        raise SystemExit("no training loss in the log history")
    fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
    ax.plot(*zip(*train), lw=1, color="tab:blue", label="train loss (masked positions)")
    if evals:
        ax.plot([e[0] for e in evals], [e[1] for e in evals], "o-", ms=3, color="tab:orange", label="dev loss")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy (nats)")
    ax.grid(alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    accs = [(e[0], e[2]) for e in evals if e[2] is not None]
    if accs:
        ax2 = ax.twinx()
        ax2.plot(*zip(*accs), "s--", ms=3, color="tab:green", label="dev masked-char accuracy")
        ax2.set_ylabel("accuracy")
        ax2.set_ylim(0, 1)
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.legend(handles, labels, loc="center right", fontsize=8)
    ax.set_title(title or "Encoder pretraining (masked-character LM)", fontsize=10)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    summary = {"last_train_loss": train[-1][1], "steps": train[-1][0]}
    if evals:
        summary.update(last_dev_loss=evals[-1][1], last_dev_masked_acc=evals[-1][2])
    return summary


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("history", type=Path, help="log_history.json of a run (or a checkpoint's trainer_state.json)")
    p.add_argument("-o", "--output", type=Path, default=Path("docs/pretrain_loss.png"))
    p.add_argument("--title")
    a = p.parse_args()
    data = json.loads(a.history.read_text(encoding="utf-8"))
    history = data["log_history"] if isinstance(data, dict) else data
    print(json.dumps(plot_history(history, a.output, a.title)))


if __name__ == "__main__":
    main()
