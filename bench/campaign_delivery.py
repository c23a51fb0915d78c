"""How fast a campaign reaches 10,000 people through a real Celery worker, and whether a worker
killed halfway leaves anyone with two e-mails or none. Prints figures only.

    .venv/bin/python bench/campaign_delivery.py [--people 10000] [--kill-at 0.3] [--kills 1]
        [--database-url postgres://...] [--broker-url redis://127.0.0.1:6379/2]

It makes its own PostgreSQL database (dropping one a failed run left behind) and uses a Redis
database of its own as the broker (emptied before and after). An SMTP server in a thread of this
process (tests/campaigns/smtp_sink.py) counts the messages each address receives; like a real
server, it keeps a message only when the line ending its data arrives. One `celery worker`
process (solo pool, settings lms.settings.dev) does all the work.

Run 1 publishes a campaign to everyone and times the fan-out and the e-mails. Run 2 publishes a
second one, kills the worker with SIGKILL once about 30% of its e-mails have arrived (and again
further on with --kills), starts a new worker and runs the delivery task again each time, then
counts duplicates and missing e-mails.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from setup import ROOT, close_connections, drop_database, set_up_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms_bench_campaigns"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/2"
WORKER_LOG = Path("/tmp/lms_bench_campaigns_worker.log")
WORKER_READY_TIMEOUT = 60
DELIVERY_TIMEOUT = 240
# After the last expected message, how long to keep listening for a late duplicate.
QUIET_SECONDS = 3
ID_PREFIX = "BC"
DEPARTMENTS = ["Operations", "Quality", "Engineering", "Logistics", "Finance", "Sales"]


@dataclass
class Run:
    label: str
    recipients: int = 0
    deliveries: int = 0
    fan_out_seconds: float = 0.0
    total_seconds: float = 0.0
    email_seconds: float = 0.0
    connections: int = 0
    abandoned: int = 0
    killed_after: list[int] = field(default_factory=list)
    marked_at_kill: list[int] = field(default_factory=list)
    killed_in_data: int = 0
    duplicates: int = 0
    missing: int = 0
    rows_unsent: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.recipients / self.email_seconds if self.email_seconds else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--kill-at", type=float, default=0.3, help="share of e-mails sent")
    parser.add_argument("--kills", type=int, default=1, help="times the worker is killed")
    parser.add_argument("--seed", type=int, default=7, help="where in a batch the kills fall")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--broker-url", default=DEFAULT_BROKER_URL)
    options = parser.parse_args()
    if not options.database_url.startswith("postgres"):
        parser.error("give a postgres:// URL: the bench measures the production set-up")

    sys.path.insert(0, str(ROOT))
    from tests.campaigns.smtp_sink import SmtpSink

    sink = SmtpSink()
    sink.start()
    environment = {
        "DEBUG": "false",
        "CELERY_BROKER_URL": options.broker_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "false",
    }
    _empty_broker(options.broker_url)
    drop_database(options.database_url)
    # Tasks go through the broker from this process too: publishing enqueues the delivery.
    set_up_django(
        database_url=options.database_url, sqlite_file=Path("/tmp/unused.sqlite3"), **environment
    )
    worker = None
    runs = []
    try:
        started = time.perf_counter()
        _build_organisation(options.people)
        build_seconds = time.perf_counter() - started
        worker = _start_worker(options.database_url, environment)
        runs.append(_clean_run(sink, options.people))
        sink.clear()
        run, worker = _killed_run(sink, options, worker, environment)
        runs.append(run)
        _print(options, runs, build_seconds)
    finally:
        if worker is not None:
            _stop_worker(worker)
        sink.stop()
        close_connections()
        drop_database(options.database_url)
        _empty_broker(options.broker_url)


# --- The organisation and the campaigns


def _build_organisation(size: int) -> None:
    from django.db import transaction

    from lms.models import Department, User

    with transaction.atomic():
        departments = [Department.objects.create(name=name) for name in DEPARTMENTS]
        User.objects.bulk_create(
            (
                User(
                    email=f"reader.{n}@bench.example",
                    employee_id=f"{ID_PREFIX}{n:06d}",
                    first_name="Reader",
                    last_name=f"{n:05d}",
                    department=departments[n % len(departments)],
                    password="!",  # unusable: nobody logs in as them
                )
                for n in range(1, size + 1)
            ),
            batch_size=2000,
        )


def _publish(title: str):
    """A campaign to everyone, published as an editor would: the release and the delivery task
    follow from Wagtail's page_published signal once the publication commits."""
    from wagtail.models import Page, Site

    from campaigns.models import CampaignIndexPage, CampaignPage
    from lms.blocks import markdown_value

    index = CampaignIndexPage.objects.first()
    if index is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        root = site.root_page if site else Page.objects.get(depth=1)
        index = root.add_child(instance=CampaignIndexPage(title="Campaigns", slug="campaigns"))
    campaign = index.add_child(
        instance=CampaignPage(
            title=title,
            slug=title.lower().replace(" ", "-"),
            summary="What every one of us does when a spill happens, and why it matters.",
            body=[markdown_value("Stop, contain, report. The spill kits are by every exit.")],
            needs_acknowledgement=True,
            live=False,
        )
    )
    campaign.save_revision().publish()
    return campaign


# --- The two runs


def _clean_run(sink, people: int) -> Run:
    run = Run(label="clean")
    started = time.monotonic()
    campaign = _publish("Spill response")
    run.fan_out_seconds = _wait_for_deliveries(campaign, people) - started
    _wait_for_messages(sink, campaign, people)
    _settle(sink)
    _count(run, sink, campaign, started)
    return run


def _killed_run(sink, options, worker, environment) -> tuple[Run, subprocess.Popen]:
    from django.conf import settings

    from campaigns import tasks
    from campaigns.models import Delivery

    run = Run(label="worker killed")
    started = time.monotonic()
    campaign = _publish("Chemical storage")
    run.fan_out_seconds = _wait_for_deliveries(campaign, options.people) - started
    for kill_at in _kill_points(options, settings.LMS_CAMPAIGN_EMAIL_BATCH):
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while sink.count() < kill_at:
            if time.monotonic() > deadline:
                sys.exit(f"only {sink.count()} e-mails arrived before the kill\n{_worker_tail()}")
            time.sleep(0.002)
        run.killed_in_data += bool(sink.receiving)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        run.killed_after.append(sink.count())
        run.marked_at_kill.append(
            Delivery.objects.filter(campaign=campaign, emailed_at__isnull=False).count()
        )
        worker = _start_worker(options.database_url, environment)
        # What an operator (or the periodic run) does after a crash: run the delivery again.
        tasks.deliver_campaign.delay(campaign.pk)
    _wait_for_messages(sink, campaign, options.people)
    _settle(sink)
    _count(run, sink, campaign, started)
    return run, worker


def _kill_points(options, batch: int) -> list[int]:
    """How many e-mails have arrived at each kill: the first at about --kill-at, any others
    spread up to 90%, each at a random place within a batch (a batch's boundary is where the
    worker is between two tasks)."""
    rng = random.Random(options.seed)
    first = options.kill_at * options.people
    step = (0.9 * options.people - first) / options.kills if options.kills > 1 else 0
    return [int(first + n * step) + rng.randrange(1, batch) for n in range(options.kills)]


def _wait_for_deliveries(campaign, people: int) -> float:
    from campaigns.models import Delivery

    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while Delivery.objects.filter(campaign=campaign).count() < people:
        if time.monotonic() > deadline:
            sys.exit(f"the deliveries were not written in time\n{_worker_tail()}")
        time.sleep(0.02)
    return time.monotonic()


def _wait_for_messages(sink, campaign, people: int) -> None:
    """Until every address has a message, or every row says sent (a message lost to the kill
    would never come)."""
    from campaigns.models import Delivery

    unsent = Delivery.objects.filter(campaign=campaign, emailed_at__isnull=True)
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while len(sink.count_by_recipient()) < people and unsent.exists():
        if time.monotonic() > deadline:
            print(f"e-mails still unsent after {DELIVERY_TIMEOUT} s\n{_worker_tail()}")
            return
        time.sleep(0.05)


def _settle(sink) -> None:
    """Keep listening until nothing has arrived for QUIET_SECONDS."""
    last = -1
    while (count := sink.count()) != last:
        last = count
        time.sleep(QUIET_SECONDS)


def _count(run: Run, sink, campaign, started: float) -> None:
    from campaigns.models import Delivery

    messages = sink.messages()
    received = Counter(address for message in messages for address in message.recipients)
    addresses = set(
        Delivery.objects.filter(campaign=campaign).values_list("user__email", flat=True)
    )
    run.recipients = len(addresses)
    run.deliveries = len(addresses)
    run.duplicates = sum(1 for address in addresses if received[address] > 1)
    run.missing = sum(1 for address in addresses if received[address] == 0)
    run.rows_unsent = Delivery.objects.filter(campaign=campaign, emailed_at__isnull=True).count()
    run.connections = sink.connections
    run.abandoned = sink.abandoned
    if messages:
        first, last = min(m.at for m in messages), max(m.at for m in messages)
        run.total_seconds = last - started
        run.email_seconds = last - first
    strangers = set(received) - addresses
    if strangers:
        run.notes.append(f"{len(strangers)} addresses received mail without a delivery")


# --- The worker


def _start_worker(database_url: str, environment: dict[str, str]) -> subprocess.Popen:
    """A `celery worker` with one process (solo pool), so SIGKILL stops all of its work."""
    from lms.celery import app

    env = {
        **os.environ,
        **environment,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    nodename = f"bench-campaigns-{os.getpid()}-{time.monotonic_ns()}@localhost"
    command = [
        str(ROOT / ".venv" / "bin" / "celery"),
        "-A",
        "lms",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-n",
        nodename,
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
        "--loglevel=WARNING",
    ]
    with WORKER_LOG.open("ab") as out:
        worker = subprocess.Popen(  # noqa: S603 - our own celery, fixed arguments
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + WORKER_READY_TIMEOUT
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            sys.exit(f"the Celery worker exited ({worker.returncode})\n{_worker_tail()}")
        replies = app.control.ping(destination=[nodename], timeout=0.5)
        if any(nodename in reply for reply in replies):
            return worker
    _stop_worker(worker)
    sys.exit(f"no ping reply from the worker in {WORKER_READY_TIMEOUT} s\n{_worker_tail()}")


def _stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)


def _worker_tail(lines: int = 30) -> str:
    if not WORKER_LOG.exists():
        return "(no worker output)"
    return "\n".join(WORKER_LOG.read_text(errors="replace").splitlines()[-lines:])


def _empty_broker(broker_url: str) -> None:
    import redis

    redis.Redis.from_url(broker_url).flushdb()


# --- Output


def _print(options, runs: list[Run], build_seconds: float) -> None:
    from django.conf import settings

    clean, killed = runs
    print()
    print(
        f"Campaign delivery: {options.people:,} recipients, PostgreSQL, Redis broker, "
        f"one Celery worker (solo pool), SMTP sink; batches of "
        f"{settings.LMS_CAMPAIGN_EMAIL_BATCH} per SMTP connection"
    )
    print(f"(organisation built in {build_seconds:.1f} s; {os.cpu_count()} CPUs)")
    print()
    rows = [
        ("deliveries written", f"{clean.deliveries:,}", f"{killed.deliveries:,}"),
        (
            "publish -> all deliveries written",
            f"{clean.fan_out_seconds:.2f} s",
            f"{killed.fan_out_seconds:.2f} s",
        ),
        (
            "publish -> last e-mail received",
            f"{clean.total_seconds:.1f} s",
            f"{killed.total_seconds:.1f} s (incl. restart)",
        ),
        ("e-mails per second", f"{clean.per_second:,.0f}", "-"),
        ("SMTP connections", f"{clean.connections}", f"{killed.connections}"),
        ("worker killed (SIGKILL) after", "-", _e_mails(killed.killed_after)),
        (
            "kills while the server held part of a message",
            "-",
            f"{killed.killed_in_data} of {len(killed.killed_after)}",
        ),
        ("rows marked e-mailed at the kill", "-", _e_mails(killed.marked_at_kill)),
        ("unfinished messages the server dropped", f"{clean.abandoned}", f"{killed.abandoned}"),
        ("rows still unsent", f"{clean.rows_unsent}", f"{killed.rows_unsent}"),
        ("duplicates (>1 e-mail)", f"{clean.duplicates}", f"{killed.duplicates}"),
        ("missing (0 e-mails)", f"{clean.missing}", f"{killed.missing}"),
    ]
    width = max(len(row[0]) for row in rows)
    print(f"{'':<{width}}  {'run 1: clean':>16}  {'run 2: worker killed':>28}")
    for label, first, second in rows:
        print(f"{label:<{width}}  {first:>16}  {second:>28}")
    for run in runs:
        for note in run.notes:
            print(f"run '{run.label}': {note}")
    ok = all(run.duplicates == 0 and run.missing == 0 for run in runs)
    print()
    print("duplicates and missing both 0: " + ("yes" if ok else "NO"))


def _e_mails(counts: list[int]) -> str:
    shown = ", ".join(f"{count:,}" for count in counts[:3])
    return shown + (", ..." if len(counts) > 3 else "")


if __name__ == "__main__":
    main()
