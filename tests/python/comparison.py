"""Value equality for comparing a mart with an independent computation: floats
within a tolerance (summation order differs between engines), everything else
exactly; a null equals only a null."""

from __future__ import annotations

import math


def same_value(left: object, right: object, rel_tol: float = 1e-9, abs_tol: float = 1e-6) -> bool:
    if isinstance(left, float) or isinstance(right, float):
        if left is None or right is None:
            return left is right
        return math.isclose(float(left), float(right), rel_tol=rel_tol, abs_tol=abs_tol)  # type: ignore[arg-type]
    return left == right
