"""Realistic ticket data for the benchmarks, written as CSV, deterministically from a seed.

    uv run python bench/generate.py --rows 100000 --seed 7 --out /tmp/deskbase-bench

writes `customers.csv` (1,000 customers) and `tickets-100000-s7.csv`, streamed row by row (1M
rows never sit in memory), plus `tickets-100000-s7.json` with the counts the benchmarks use
(statuses, and how many titles hold each search word). Titles and descriptions are 60% Chinese,
40% English, composed from the word lists in vocab.py with Zipf weights: a few subjects are
common, the tail is rare. Tickets are opened over two years (in row order, working hours),
statuses depend on the ticket's age, customers follow a Zipf law too.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import json
import math
import random
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import vocab as v

__all__ = [
    "CUSTOMERS",
    "END",
    "SEARCH_WORDS",
    "TICKET_COLUMNS",
    "Customer",
    "customers",
    "ensure_data",
    "iter_tickets",
    "write_customers_csv",
    "write_tickets_csv",
]

CUSTOMERS = 1_000
END = datetime(2026, 11, 1, tzinfo=UTC)
SPAN_DAYS = 730
TICKET_COLUMNS = (
    "title",
    "description",
    "status",
    "priority",
    "channel",
    "customer",
    "opened_at",
    "due_date",
    "amount",
)
SEARCH_WORDS = {"common_zh": "打印机", "rare_zh": "示波器", "common_en": "printer", "rare_en": "oscilloscope"}
RARE_SHARE = 0.003
_STATUS = ("new", "assigned", "in_progress", "pending", "resolved", "closed")
_STATUS_BY_AGE = (  # (max age in days, weights in _STATUS order)
    (7, (30, 20, 25, 10, 10, 5)),
    (45, (3, 5, 15, 12, 35, 30)),
    (10**9, (2, 1, 2, 3, 22, 70)),
)
_PRIORITY = (("low", 20), ("normal", 55), ("high", 20), ("urgent", 5))
_DUE_DAYS = {"low": 14, "normal": 7, "high": 3, "urgent": 1}
_CHANNEL = (("email", 35), ("portal", 25), ("phone", 20), ("wechat", 15), ("api", 5))
_COMMA = "\uff0c"  # the full-width comma of Chinese text
_HOURS = [0, 0, 0, 0, 0, 0, 1, 2, 6, 10, 10, 9, 5, 7, 9, 9, 8, 6, 3, 2, 1, 1, 0, 0]


@dataclass(frozen=True, slots=True)
class Customer:
    name: str
    level: str


class _Pick:
    """A weighted choice by bisection over cumulative weights (cheaper than random.choices)."""

    def __init__(self, items: Sequence[str], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> str:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _zipf(items: Sequence[str], s: float) -> _Pick:
    return _Pick(items, [1 / (i + 1) ** s for i in range(len(items))])


def customers(seed: int) -> list[Customer]:
    """1,000 distinct customer names (60% Chinese), 10% of them VIP; the order is the Zipf rank."""
    rng = random.Random(seed * 7919 + 1)
    zh = [f"{c}{w}{s}" for c in v.CITIES_ZH for w in v.COMPANY_WORDS_ZH for s in v.COMPANY_SUFFIX_ZH]
    en = [f"{w} {s} {c}" for w in v.COMPANY_WORDS_EN for s in v.COMPANY_SUFFIX_EN for c in v.CITIES_EN]
    names = rng.sample(zh, CUSTOMERS * 6 // 10) + rng.sample(en, CUSTOMERS - CUSTOMERS * 6 // 10)
    rng.shuffle(names)
    return [Customer(n, "vip" if rng.random() < 0.1 else "standard") for n in names]


def iter_tickets(rows: int, seed: int) -> Iterator[tuple[str, ...]]:
    """The ticket rows as CSV strings, in TICKET_COLUMNS order."""
    rng = random.Random(seed)
    cust = customers(seed)
    pick_customer = _zipf([c.name for c in cust], 0.9)
    subj_zh, subj_en = _zipf(v.SUBJECTS_ZH, 1.1), _zipf(v.SUBJECTS_EN, 1.1)
    prob_zh, prob_en = _zipf(v.PROBLEMS_ZH, 0.8), _zipf(v.PROBLEMS_EN, 0.8)
    status_by_age = [(limit, _Pick(_STATUS, w)) for limit, w in _STATUS_BY_AGE]
    priority = _Pick(*zip(*_PRIORITY, strict=True))
    channel = _Pick(*zip(*_CHANNEL, strict=True))
    hour = _Pick([str(h) for h in range(24)], _HOURS)
    start = END - timedelta(days=SPAN_DAYS)
    for i in range(rows):
        day = start + timedelta(days=math.floor((i + rng.random()) * SPAN_DAYS / rows))
        opened = day.replace(hour=int(hour(rng)), minute=rng.randrange(60), second=rng.randrange(60))
        age = (END - opened).days
        status = next(pick for limit, pick in status_by_age if age <= limit)(rng)
        prio = priority(rng)
        if rng.random() < 0.6:
            title, desc = _zh(rng, subj_zh, prob_zh, prio)
        else:
            title, desc = _en(rng, subj_en, prob_en, prio)
        amount = f"{min(math.exp(rng.gauss(5.0, 1.2)), 999_999.99):.2f}" if rng.random() < 0.4 else ""
        yield (
            title,
            desc,
            status,
            prio,
            channel(rng),
            pick_customer(rng),
            opened.strftime("%Y-%m-%dT%H:%M:%SZ"),
            (opened + timedelta(days=_DUE_DAYS[prio])).date().isoformat(),
            amount,
        )


def _subject(rng: random.Random, common: _Pick, rare: list[str]) -> str:
    return rng.choice(rare) if rng.random() < RARE_SHARE else common(rng)


def _zh(rng: random.Random, subj: _Pick, prob: _Pick, prio: str) -> tuple[str, str]:
    s, p, place = _subject(rng, subj, v.RARE_SUBJECTS_ZH), prob(rng), rng.choice(v.PLACES_ZH)
    r = rng.random()
    if prio == "urgent" and r < 0.5:
        title = f"【紧急】{s}{p}"
    elif r < 0.3:
        title = f"{place}{s}{p}"
    elif r < 0.45:
        title = f"{s}{p}{_COMMA}请协助处理"
    else:
        title = f"{s}{p}"
    desc = (
        f"{rng.choice(v.WHEN_ZH)}{place}的{s}{p}{_COMMA}{rng.choice(v.IMPACTS_ZH)}。"
        f"{rng.choice(v.STEPS_ZH)}。资产编号 AS-{rng.randrange(10**6):06d}。"
    )
    return title, desc


def _en(rng: random.Random, subj: _Pick, prob: _Pick, prio: str) -> tuple[str, str]:
    s, p, place = _subject(rng, subj, v.RARE_SUBJECTS_EN), prob(rng), rng.choice(v.PLACES_EN)
    r = rng.random()
    cap = s[0].upper() + s[1:]
    if prio == "urgent" and r < 0.5:
        title = f"URGENT: {s} {p}"
    elif r < 0.3:
        title = f"{cap} {p} ({place})"
    elif r < 0.4:
        title = f"{cap} {p} again"
    else:
        title = f"{cap} {p}"
    desc = (
        f"{rng.choice(v.WHEN_EN)} the {s} in {place} {p}; {rng.choice(v.IMPACTS_EN)}. "
        f"{rng.choice(v.STEPS_EN)} Asset AS-{rng.randrange(10**6):06d}."
    )
    return title, desc


def write_customers_csv(path: Path, seed: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("name", "level"))
        w.writerows((c.name, c.level) for c in customers(seed))


def write_tickets_csv(path: Path, rows: int, seed: int) -> dict[str, object]:
    """Writes the CSV (through a temporary name) and its stats file; returns the stats."""
    status: Counter[str] = Counter()
    words = {k: 0 for k in SEARCH_WORDS}
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8", buffering=1 << 20) as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(TICKET_COLUMNS)
        for row in iter_tickets(rows, seed):
            w.writerow(row)
            status[row[2]] += 1
            title = row[0].lower()
            for key, word in SEARCH_WORDS.items():
                if word in title:
                    words[key] += 1
    tmp.replace(path)
    stats: dict[str, object] = {
        "rows": rows,
        "seed": seed,
        "bytes": path.stat().st_size,
        "status": dict(sorted(status.items())),
        "search_words": {k: {"word": SEARCH_WORDS[k], "titles": n} for k, n in words.items()},
    }
    path.with_suffix(".json").write_text(json.dumps(stats, ensure_ascii=False, indent=1), encoding="utf-8")
    return stats


def ensure_data(out: Path, rows: int, seed: int) -> tuple[Path, Path, dict[str, object]]:
    """The customers and tickets CSVs for (rows, seed), generated only if missing."""
    out.mkdir(parents=True, exist_ok=True)
    cust = out / f"customers-s{seed}.csv"
    if not cust.exists():
        write_customers_csv(cust, seed)
    tickets = out / f"tickets-{rows}-s{seed}.csv"
    meta = tickets.with_suffix(".json")
    if tickets.exists() and meta.exists():
        return cust, tickets, json.loads(meta.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    print(f"generating {rows:,} tickets into {tickets} ...", flush=True)
    stats = write_tickets_csv(tickets, rows, seed)
    print(f"  {time.perf_counter() - t0:.1f} s, {tickets.stat().st_size / 1e6:.0f} MB", flush=True)
    return cust, tickets, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="10000, 100000 or 1000000 (or any)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("/tmp/deskbase-bench/data"))
    args = parser.parse_args()
    _, tickets, stats = ensure_data(args.out, args.rows, args.seed)
    print(tickets)
    print(json.dumps(stats, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
