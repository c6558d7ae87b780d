"""A vectorised batch path: many households evaluated at once with numpy, giving exactly the scalar
engine's outcomes (see helper/vector/engine.py)."""

from .engine import Stats, evaluate_answers, evaluate_rows

__all__ = ["Stats", "evaluate_answers", "evaluate_rows"]
