#!/usr/bin/env python3
"""What the workflow's history says about the full scenario's run (`temporal workflow show -o json`).

usage: history.py HISTORY_JSON --killed STEP --dead-worker PID [--killed-at EPOCH]
                  [--orphan-ended EPOCH|-] [STEP=ACTIVITIES ...]

Each activity is named by the step in its input (or its type). Fails (exit 1) unless:
- every scheduled activity completed, once;
- each step asked for each of its activities once (a dns-ttl reads, sets, then waits: three
  types, once each), and a STEP=N step (presync rounds, monitor checks) exactly N activities in
  all: the workflow never asked for a step's effect again, whatever the worker crash did. (That
  the effects themselves happened once is for the scenario to check on the hosts.)
- the killed step's activity completed on attempt 2 or later, on another worker than the dead one
  (PID@host), after an earlier attempt of it ended by a timeout (the dead worker stopped
  heartbeating).
With --killed-at and --orphan-ended, also says when the dead worker's script ended compared with
the retry's start. Prints one "figure:" line per retried activity and a summary.
"""
import base64
import collections
import json
import re
import sys
from datetime import datetime


def fail(msg):
    print(f"history: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def when(e):
    # protojson writes 0, 3, 6 or 9 fraction digits; fromisoformat takes at most 6.
    text = re.sub(r"(\.\d{6})\d+", r"\1", e["eventTime"].replace("Z", "+00:00"))
    return datetime.fromisoformat(text)


def step_of(attrs):
    try:
        payload = attrs["input"]["payloads"][0]
        value = json.loads(base64.b64decode(payload["data"]))
        if isinstance(value, dict):
            for key in ("step", "stepName", "name"):
                if isinstance(value.get(key), str):
                    return value[key]
    except (KeyError, IndexError, ValueError, TypeError):
        pass
    return attrs["activityType"]["name"]


def parse_args(argv):
    if not argv:
        fail(__doc__)
    opts, counts, i = {"history": argv[0]}, {}, 1
    while i < len(argv):
        a = argv[i]
        if a in ("--killed", "--dead-worker", "--killed-at", "--orphan-ended"):
            if i + 1 >= len(argv):
                fail(f"{a} needs a value")
            opts[a[2:]] = argv[i + 1]
            i += 2
        elif "=" in a and a.split("=", 1)[1].isdigit():
            counts[a.split("=", 1)[0]] = int(a.split("=", 1)[1])
            i += 1
        else:
            fail(f"unknown argument {a}\n{__doc__}")
    for needed in ("killed", "dead-worker"):
        if needed not in opts:
            fail(f"--{needed} is required")
    return opts, counts


def main():
    opts, expected = parse_args(sys.argv[1:])
    events = json.load(open(opts["history"]))["events"]
    killed, dead = opts["killed"], opts["dead-worker"] + "@"
    scheduled, started, closed = {}, {}, collections.defaultdict(list)
    for e in events:
        t = e["eventType"]
        if t == "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED":
            a = e["activityTaskScheduledEventAttributes"]
            scheduled[e["eventId"]] = (step_of(a), a["activityType"]["name"], when(e))
        elif t == "EVENT_TYPE_ACTIVITY_TASK_STARTED":
            a = e["activityTaskStartedEventAttributes"]
            started[a["scheduledEventId"]] = (int(a.get("attempt", 1)), a.get("lastFailure"), a.get("identity"), when(e))
        elif t.startswith("EVENT_TYPE_ACTIVITY_TASK_") and t != "EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED":
            key = next(k for k in e if k.endswith("EventAttributes"))
            closed[e[key]["scheduledEventId"]].append((t.replace("EVENT_TYPE_ACTIVITY_TASK_", ""), when(e), e[key].get("identity")))

    per_step = collections.Counter(step for step, _, _ in scheduled.values())
    per_activity = collections.Counter((step, kind) for step, kind, _ in scheduled.values())
    twice = {f"{s} {k}": n for (s, k), n in per_activity.items() if n > 1 and s not in expected}
    if twice:
        fail(f"steps whose activity was scheduled more than once: {twice}")
    for step, n in expected.items():
        if per_step.get(step, 0) != n:
            fail(f"{step}: {per_step.get(step, 0)} activities scheduled, {n} expected")
    for sid, (step, kind, _) in scheduled.items():
        outcome = [o[0] for o in closed.get(sid, [])]
        if outcome != ["COMPLETED"]:
            fail(f"activity {kind} of {step} (event {sid}) closed as {outcome or 'never'}")

    retried, killed_retry = 0, None
    for sid, (step, kind, at) in scheduled.items():
        attempt, last_failure, identity, started_at = started.get(sid, (1, None, None, None))
        if attempt > 1:
            retried += 1
            _, done_at, done_by = closed[sid][0]
            cause = (last_failure or {}).get("message", "?")
            timeout = (last_failure or {}).get("timeoutFailureInfo", {}).get("timeoutType", "")
            print(f"figure: retried: {step} ({kind}) completed on attempt {attempt} by {done_by}, "
                  f"{(done_at - at).total_seconds():.1f}s after it was scheduled; attempt {attempt - 1} ended: {cause} {timeout}".rstrip())
            if step == killed:
                killed_retry = (attempt, timeout, done_by, started_at)
    if killed_retry is None:
        fail(f"{killed} was not retried: the worker kill did not land in it")
    attempt, timeout, done_by, retry_started = killed_retry
    if (done_by or "").startswith(dead):
        fail(f"{killed} completed on the worker that was killed ({done_by})")
    # The last attempt's lastFailure is its predecessor's; with attempt 2 that is the dead one's.
    if attempt == 2 and "HEARTBEAT" not in timeout and "START_TO_CLOSE" not in timeout:
        fail(f"{killed}'s first attempt did not end by a timeout (the dead worker): {timeout or 'no timeout'}")

    if opts.get("killed-at"):
        killed_at = float(opts["killed-at"])
        retry_at = retry_started.timestamp() - killed_at
        orphan = opts.get("orphan-ended", "-")
        if orphan in ("-", ""):
            print(f"figure: the dead worker's {killed} script: still running 120s after the kill; the retry started {retry_at:.1f}s after the kill")
        else:
            ended = float(orphan) - killed_at
            beside = f"{ended - retry_at:.1f}s into the retry" if ended > retry_at else "before the retry started"
            print(f"figure: the dead worker's {killed} script ended {ended:.1f}s after the kill, {beside} "
                  f"(the retry started {retry_at:.1f}s after the kill)")

    identities = sorted({i for _, _, i, _ in started.values() if i})
    print(f"figure: history: {len(events)} events, {len(scheduled)} activities of {len(per_step)} steps "
          f"(by design more than one: " + ", ".join(f"{s} {n}" for s, n in sorted(expected.items()))
          + f"), {retried} retried, each completed once, none asked for twice; workers: {len(identities)}")


if __name__ == "__main__":
    main()
