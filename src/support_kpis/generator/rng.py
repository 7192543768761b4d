"""Independent, reproducible random streams: one per (seed, purpose, chunk)."""

from __future__ import annotations

import hashlib
import random


def derive_rng(seed: int, *parts: str | int) -> random.Random:
    """A `random.Random` seeded from the run seed and a path such as ("tickets", 3).

    The seed is a SHA-256 digest of the parts, so streams do not overlap and do not
    depend on PYTHONHASHSEED or on the order in which chunks are generated.
    """
    text = "/".join([str(seed), *(str(part) for part in parts)])
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))
