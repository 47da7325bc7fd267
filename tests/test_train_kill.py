"""A real (tiny) training run killed with SIGKILL mid-epoch resumes to the same result."""
import json
import os
import signal
import subprocess
import sys
import textwrap

from conftest import write_config

RUN = textwrap.dedent("""
    import os, signal, sys
    from transformers import TrainerCallback, Trainer
    from model.config import load_train_config
    from model.train import train

    kill_at = int(sys.argv[2])

    class Kill(TrainerCallback):
        def on_step_end(self, args, state, control, **kw):
            if state.global_step == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    if kill_at:
        init = Trainer.__init__
        def patched(self, *a, **k):
            k["callbacks"] = list(k.get("callbacks") or []) + [Kill()]
            init(self, *a, **k)
        Trainer.__init__ = patched
    train(load_train_config(sys.argv[1]), resume=len(sys.argv) > 3)
""")


def _run(script, cfg, kill_at, resume=False):
    args = [sys.executable, str(script), str(cfg), str(kill_at)] + (["resume"] if resume else [])
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)


def test_sigkill_then_resume_matches_uninterrupted(tmp_path, tiny_encoder, pages_file):
    script = tmp_path / "run.py"
    script.write_text(RUN)
    base = dict(model=str(tiny_encoder), train_files=[str(pages_file)], window=64, stride=48, batch_size=4,
                learning_rate=5e-3, max_steps=24, save_steps=8, init="random", patience=None, logging_steps=4)
    a = write_config(tmp_path / "a.yaml", **base, output_dir=str(tmp_path / "a"))
    b = write_config(tmp_path / "b.yaml", **base, output_dir=str(tmp_path / "b"))
    assert _run(script, a, 0).returncode == 0
    killed = _run(script, b, 13)  # mid-epoch, between the checkpoints at 8 and 16
    assert killed.returncode == -signal.SIGKILL
    assert (tmp_path / "b" / "checkpoints" / "checkpoint-8").is_dir()
    assert not (tmp_path / "b" / "model.safetensors").exists()
    resumed = _run(script, b, 0, resume=True)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    ma = json.loads((tmp_path / "a" / "metrics.json").read_text())
    mb = json.loads((tmp_path / "b" / "metrics.json").read_text())
    assert mb["train_steps"] == ma["train_steps"] == 24
    from safetensors.torch import load_file

    wa = load_file(tmp_path / "a" / "model.safetensors")
    wb = load_file(tmp_path / "b" / "model.safetensors")
    # Same seeds and data order restored: the weights agree to float tolerance.
    assert max((wa[k] - wb[k]).abs().max().item() for k in wa) < 1e-4
