"""What the machine can do fast: the one place that decides bf16 on a CPU."""
from __future__ import annotations

import re
from pathlib import Path


def cpu_has_native_bf16() -> bool:
    """Whether this CPU multiplies bf16 in hardware (AVX512-BF16 or AMX).

    Elsewhere oneDNN emulates bf16 and runs slower than fp32, so ``auto`` precision
    keeps fp32 there. Linux only (``/proc/cpuinfo``); other systems answer False.
    """
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(re.search(r"\b(avx512_bf16|amx_bf16)\b", flags))
