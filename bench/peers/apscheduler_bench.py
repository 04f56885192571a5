"""APScheduler 3 side of the Kairos benchmark (run with /usr/bin/python3).

Usage: apscheduler_bench.py <workload> <json params>. Speaks the harness
protocol: optional `READY <json>` (then waits for `report <json>` on stdin),
then `RESULT <json>`, then waits for stdin to close so the harness can read
the peak RSS of a live process.

The scheduler is set up as the Python system Kairos replaces ran it: a
BackgroundScheduler, the default ThreadPoolExecutor (10 threads), coalesce,
max_instances 1, misfire_grace_time 60, and a memory, SQLite or PostgreSQL
(SQLAlchemy) job store.
"""
import json
import math
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import apscheduler.executors.pool as pool
from apscheduler.events import EVENT_JOB_EXECUTED
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 60}

# APScheduler does not tell a job its scheduled time; run_job knows it, so the
# thread running the job is told through a thread-local before the job starts.
current = threading.local()
_run_job = pool.run_job


def _run_job_with_time(job, alias, run_times, logger_name):
    current.scheduled = run_times[-1]
    return _run_job(job, alias, run_times, logger_name)


pool.run_job = _run_job_with_time

fires = []


def probe(job_id):
    now_ms = time.time() * 1000
    fires.append((job_id, current.scheduled.timestamp() * 1000, now_ms))


def noop():
    pass


def store_of(params):
    if params["store"] == "memory":
        return MemoryJobStore()
    return SQLAlchemyJobStore(url=params["pythonStoreUrl"])


def scheduler_of(params):
    return BackgroundScheduler(jobstores={"default": store_of(params)}, job_defaults=JOB_DEFAULTS, timezone="UTC")


def lateness(job_ids, start, end, period_ms):
    seen = set()
    late = []
    duplicated = 0
    for job_id, scheduled, started in list(fires):
        scheduled = round(scheduled)
        if scheduled < start or scheduled >= end:
            continue
        if (job_id, scheduled) in seen:
            duplicated += 1
            continue
        seen.add((job_id, scheduled))
        late.append(started - scheduled)
    late.sort()
    expected = (math.ceil(end / period_ms) - math.ceil(start / period_ms)) * len(job_ids)

    def pct(p):
        return late[min(len(late) - 1, max(0, math.ceil(p / 100 * len(late)) - 1))] if late else None

    return {"expected": expected, "fired": len(late), "missed": expected - len(late), "duplicated": duplicated,
            "p50": pct(50), "p90": pct(90), "p99": pct(99), "max": late[-1] if late else None}


def sleep_until(epoch_ms):
    time.sleep(max(0, epoch_ms / 1000 - time.time()))


def w1(params):
    ids = ["j%d" % i for i in range(params["jobs"])]
    scheduler = scheduler_of(params)
    for job_id in ids:
        scheduler.add_job(probe, "cron", second="*", id=job_id, args=[job_id], replace_existing=True)
    scheduler.start()
    start = math.ceil(time.time()) * 1000 + params["warmupSeconds"] * 1000
    end = start + params["seconds"] * 1000
    sleep_until(end + params["drainMs"])
    scheduler.shutdown(wait=False)
    return lateness(ids, start, end, 1000)


def populate(params, add):
    # Started paused, so add_job writes straight to the store and nothing runs.
    scheduler = scheduler_of(params)
    scheduler.start(paused=True)
    add(scheduler)
    scheduler.shutdown(wait=False)
    return {}


def w2Populate(params):
    due = datetime.now(timezone.utc)

    def add(scheduler):
        for i in range(params["fires"]):
            scheduler.add_job(noop, "date", run_date=due, id="w2-%d" % i, misfire_grace_time=None)

    return populate(params, add)


def w2Drain(params):
    done = threading.Event()
    state = {"ran": 0, "first": None, "last": None}
    lock = threading.Lock()

    def on_executed(event):
        with lock:
            state["ran"] += 1
            state["last"] = time.time() * 1000
            if state["ran"] >= params["fires"]:
                done.set()

    scheduler = scheduler_of(params)
    scheduler.add_listener(on_executed, EVENT_JOB_EXECUTED)
    start_call = time.time() * 1000
    scheduler.start()
    done.wait(params["timeoutMs"] / 1000)
    scheduler.shutdown(wait=False)
    # No run history exists to check; the store holds the jobs not yet fired.
    return {"startCall": start_call, "firstStart": None, "lastRecorded": state["last"], "ran": state["ran"],
            "recorded": None}


def w3Populate(params):
    def add(scheduler):
        for i in range(params["jobs"]):
            scheduler.add_job(noop, "interval", hours=1, id="w3-%d" % i)

    return populate(params, add)


def w3Start(params):
    scheduler = scheduler_of(params)
    scheduler.start()
    ready({})
    scheduler.shutdown(wait=False)
    return {}


def ready(info):
    print("READY " + json.dumps(info), flush=True)
    for line in sys.stdin:
        if line.startswith("report"):
            return json.loads(line[6:].strip() or "{}")
    return {}


def main():
    workload, payload = sys.argv[1], sys.argv[2]
    try:
        result = globals()[workload](json.loads(payload))
    except Exception as error:  # reported to the harness, which fails the repetition
        result = {"error": "%s: %s" % (type(error).__name__, error)}
    print("RESULT " + json.dumps(result), flush=True)
    for _ in sys.stdin:
        pass


if __name__ == "__main__":
    main()
