"""`python -m bench`: generate a province's years of data, then time the busiest pages.

Exit status 1 when a page misses the target (or fails), so `make bench` tells the truth.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import datetime

from bench.generate import DEFAULT_POSTGRESQL_URL, Sizes, Unavailable, generate
from bench.measure import DEFAULT_QUERY, TARGET_MS, Report, measure, summary

DATABASES = ("sqlite", "postgresql")


def _databases(value: str) -> list[str]:
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in DATABASES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose among {', '.join(DATABASES)}")
    return list(dict.fromkeys(names))


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _fraction(value: str) -> float:
    number = float(value)
    if not 0 < number <= 10:
        raise argparse.ArgumentTypeError("must be above 0 (1 is the full size)")
    return number


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Generate years of data and time the dashboard, the overdue list, a "
        "department's task list and a search, server-side, on SQLite and PostgreSQL.",
    )
    full = Sizes()
    parser.add_argument(
        "--size",
        type=_fraction,
        default=1.0,
        help="scale the tasks and updates: 0.1 is a quick run (10,000 tasks); default 1, "
        f"the full size ({full.tasks:,} tasks, {full.updates:,} updates)",
    )
    parser.add_argument("--tasks", type=_positive, help="tasks (overrides --size)")
    parser.add_argument("--updates", type=_positive, help="progress updates (overrides --size)")
    parser.add_argument("--agencies", type=_positive, default=full.agencies)
    parser.add_argument("--directives", type=_positive, default=full.directives)
    parser.add_argument(
        "--repeat", type=_positive, default=30, help="timed requests per page (after 3 warm-up)"
    )
    parser.add_argument(
        "--databases",
        type=_databases,
        default=list(DATABASES),
        help="comma-separated: sqlite,postgresql (default both)",
    )
    parser.add_argument("--query", default=DEFAULT_QUERY, help="the search words")
    parser.add_argument(
        "--postgresql-url",
        metavar="URL",
        help="the PostgreSQL database to fill: created if missing, emptied if it holds an "
        "earlier benchmark, refused if it holds anything else (default: $BENCH_DATABASE_URL, "
        f"else {DEFAULT_POSTGRESQL_URL})",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="generate the data again even if the kept databases match",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="generate into throw-away databases and remove them afterwards (default: keep "
        "them, instance/bench/sqlite.db and the PostgreSQL database, for the next run)",
    )
    parser.add_argument(
        "--no-reminders",
        action="store_true",
        help="skip the reminders benchmark (python -m bench.reminders) run after the pages",
    )
    parser.add_argument(
        "--trace",
        action="store_true",
        help="after timing a page, print each SQL statement of one more request with its time",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scaled = Sizes(agencies=args.agencies, directives=args.directives).scaled(args.size)
    sizes = Sizes(
        tasks=args.tasks or scaled.tasks,
        agencies=args.agencies,
        updates=args.updates if args.updates is not None else scaled.updates,
        directives=args.directives,
    )
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    print(
        f"nhiemvu benchmark, {datetime.now():%Y-%m-%d %H:%M}, {platform.node()} "
        f"(Python {platform.python_version()}): {command.strip()}",
        flush=True,
    )
    reports: list[Report] = []
    skipped: list[str] = []
    for kind in args.databases:
        print(f"\n== {kind}: generating", flush=True)
        try:
            generated = generate(
                kind,
                sizes,
                cache=not args.no_cache,
                fresh=args.fresh,
                postgresql=args.postgresql_url,
            )
        except Unavailable as reason:
            print(f"   skipped: {reason}", flush=True)
            skipped.append(f"{kind}: {reason}")
            continue
        counts = ", ".join(f"{name} {number:,}" for name, number in generated.counts.items())
        if generated.cached:
            print(
                f"   reusing {generated.location}, made on {generated.made_on} "
                f"(--fresh to make it again): {counts}",
                flush=True,
            )
        else:
            print(f"   generated in {generated.seconds:.1f} s: {counts}", flush=True)
        try:
            started = time.perf_counter()
            print(f"== {kind}: measuring ({args.repeat} requests per page)", flush=True)
            reports.append(
                measure(generated, repeat=args.repeat, query=args.query, trace=args.trace)
            )
            print(f"   measured in {time.perf_counter() - started:.1f} s", flush=True)
        finally:
            generated.cleanup()

    print()
    for report in reports:
        print(summary(report))
        print()
    for line in skipped:
        print(f"Skipped {line}")
    misses = [(r.generated.name, t) for r in reports for t in r.misses]
    status = 0
    if misses:
        print(f"{len(misses)} page(s) missed the target of p95 ≤ {TARGET_MS:.0f} ms:")
        for name, timing in misses:
            why = timing.error or f"p95 {timing.p95_ms:.1f} ms"
            print(f"  {name}: {timing.page.label} ({timing.page.shown}): {why}")
        status = 1
    elif reports:
        print(f"Every page met the target of p95 ≤ {TARGET_MS:.0f} ms.")
    if not args.no_reminders:
        # The day's reminders on the same scale and databases (its own data, kept apart).
        from bench import reminders

        print(flush=True)
        options = ["--size", str(args.size), "--databases", ",".join(args.databases)]
        if args.postgresql_url:
            options += ["--postgresql-url", reminders.sibling_url(args.postgresql_url)]
        if args.no_cache:
            options.append("--no-cache")
        status |= reminders.main(options)
    return status


if __name__ == "__main__":
    sys.exit(main())
