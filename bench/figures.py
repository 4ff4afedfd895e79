"""One measured figure: Deskbase's value, the raw driver's for the same work, the target, the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Figure", "fmt"]


def fmt(value: float, unit: str) -> str:
    if unit in ("rows/s", "req/s", "rows"):
        return f"{value:,.0f} {unit}"
    if unit == "%":
        return f"{value:.0f}%"
    if unit == "ms":
        return f"{value:.3g} ms" if value < 10 else f"{value:,.0f} ms"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "s":
        return f"{value:.1f} s"
    return f"{value:.3g} {unit}"


@dataclass(slots=True)
class Figure:
    """`better` is "higher" for rates and "lower" for latencies and memory."""

    section: str
    name: str
    value: float | None
    unit: str
    raw: float | None = None
    raw_label: str = ""
    target: float | None = None
    better: str = "higher"
    detail: str = ""
    pending: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.value is None or self.pending:
            return "pending"
        if self.target is None:
            return "info"
        return "pass" if self.meets() else "miss"

    def meets(self) -> bool:
        assert self.value is not None
        assert self.target is not None
        return self.value >= self.target if self.better == "higher" else self.value <= self.target

    def shown(self) -> str:
        return "—" if self.value is None else fmt(self.value, self.unit)

    def raw_shown(self) -> str:
        if self.raw is None:
            return "—"
        return fmt(self.raw, self.unit) + (f" ({self.raw_label})" if self.raw_label else "")

    def ratio(self) -> str:
        if self.value is None or self.raw is None or not self.raw or not self.value:
            return "—"
        if self.better == "higher":
            return f"{self.value / self.raw:.0%} of raw"
        return f"{self.value / self.raw:.1f}x raw"

    def target_shown(self) -> str:
        if self.target is None:
            return "—"
        return ("≥ " if self.better == "higher" else "< ") + fmt(self.target, self.unit)

    def verdict(self) -> str:
        s = self.status
        if s == "info":
            return ""
        if self.value is None or self.target is None:
            return "**pending**" + (f": {self.pending}" if self.pending else "")
        if self.better == "higher":
            diff = self.value / self.target - 1
            how = f"{diff:+.0%}"
        else:
            diff = self.value / self.target
            how = f"{diff:.2f}x the limit" if diff > 1 else f"{1 - diff:.0%} under"
        word = "pass" if self.meets() else "**MISS**"
        if s == "pending":
            return f"**pending** ({self.pending}); as measured: {word.strip('*').lower()} ({how})"
        return f"{word} ({how})"
