"""The one target-status rule (support_kpis.targets), used by the BI tables
and the reports, on hand-picked values at its boundaries."""

from __future__ import annotations

from support_kpis.targets import Target, target_status

HIGHER = Target(target=0.80, better="higher", warning=0.70, benchmark=None, benchmark_source=None)
LOWER = Target(target=240, better="lower", warning=480, benchmark=None, benchmark_source=None)


def test_higher_is_better() -> None:
    assert target_status(HIGHER, 0.80) == "on_target"  # the target itself is met
    assert target_status(HIGHER, 0.95) == "on_target"
    assert target_status(HIGHER, 0.70) == "warning"  # the warning value itself warns
    assert target_status(HIGHER, 0.75) == "warning"
    assert target_status(HIGHER, 0.6999) == "off_target"


def test_lower_is_better() -> None:
    assert target_status(LOWER, 240) == "on_target"
    assert target_status(LOWER, 480) == "warning"
    assert target_status(LOWER, 480.01) == "off_target"


def test_no_warning_value_goes_straight_to_off_target() -> None:
    target = Target(target=0, better="higher", warning=None, benchmark=None, benchmark_source=None)
    assert (target_status(target, 0.0), target_status(target, -0.01)) == ("on_target", "off_target")


def test_nothing_to_judge() -> None:
    volume = Target(target=None, better=None, warning=None, benchmark=None, benchmark_source=None)
    undirected = Target(target=5, better=None, warning=None, benchmark=None, benchmark_source=None)
    assert target_status(volume, 10) is None
    assert target_status(undirected, 10) is None
    assert target_status(HIGHER, None) is None
    assert target_status(None, 0.9) is None
