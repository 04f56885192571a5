#!/usr/bin/python3
"""Writes test/vectors/triggers.json: trigger fire times and str() computed by APScheduler 3.

Run with Debian's interpreter and python3-apscheduler (the oracle is not needed at test time):

    /usr/bin/python3 scripts/trigger-vectors/generate.py

Each case is a jobs.yaml trigger spec plus a `from` instant; `expected` are the fire times of a
job added at `from` and run on time: get_next_fire_time(None, from), then
get_next_fire_time(prev, prev). Triggers are built as AsyncIOScheduler.add_job does, with the
scheduler time zone UTC (Kairos' default).

Cases whose window [from - 1 day, last fire + 1 day] contains a DST transition of their zone are
left out: APScheduler 3.9 is wrong there (SPEC 4) and Kairos follows its own policy, tested
separately in test/triggers/dst-policy.test.ts.

Kairos reads a numeric day_of_week in a `cron:` crontab string the crontab way (0 and 7 =
Sunday); APScheduler 3's from_crontab does not (agronholm/apscheduler#286). For those cases the
oracle is given the day names the crontab numbers mean.
"""

import json
import os
import re
from datetime import datetime, timedelta, timezone as dt_timezone

import apscheduler
import pytz
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'vectors', 'triggers.json')
COUNT = 6
ZONES = ['UTC', 'Asia/Taipei', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'Europe/Berlin']
# Far from every DST transition of the zones above (2024: Mar 10/31, Apr 7, Oct 6/27, Nov 3).
FROMS = ['2024-01-15T10:17:23Z', '2024-07-04T23:59:59Z', '2023-12-31T23:59:30Z']
WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

CRON_SPECS = [
    {'second': '*/10'}, {'second': '*/5'}, {'second': 30}, {'second': '5,10-20/5,45'},
    {'minute': '*/15'}, {'minute': '5/20'}, {'minute': 0}, {'minute': '0', 'second': '30'},
    {'hour': 3}, {'hour': 3, 'minute': 30}, {'hour': '9-17', 'minute': '*/30'}, {'hour': '9-17/2'},
    {'hour': '*/6', 'minute': '7'}, {'hour': '1,13'}, {'hour': 23, 'minute': 59, 'second': 59},
    {'day_of_week': 'mon-fri', 'hour': 9}, {'day_of_week': 'sat,sun', 'hour': '10', 'minute': 15},
    {'day_of_week': 0}, {'day_of_week': '6', 'hour': 0}, {'day_of_week': 'MON-Wed', 'hour': '23'},
    {'day_of_week': '1-5/2', 'hour': 12}, {'day_of_week': 'fri-sun', 'minute': '*/20'},
    {'day': 'last'}, {'day': 'last fri'}, {'day': '2nd fri'}, {'day': '1st mon', 'hour': 8},
    {'day': '3rd wed,last sun'}, {'day': '5th sun'}, {'day': 'LAST', 'hour': 18}, {'day': 31},
    {'day': 29, 'month': 2}, {'day': '*/10'}, {'day': '10-20', 'hour': 1}, {'day': '1-7', 'day_of_week': 'fri'},
    {'month': 'jan-mar', 'day': 1}, {'month': 'jun'}, {'month': '*/3', 'day': 15, 'hour': 12},
    {'month': 'Feb', 'day': 'last'}, {'month': '2,8', 'day': '1,15'},
    {'week': 1}, {'week': '*/2', 'day_of_week': 'mon', 'hour': 6}, {'week': 53}, {'week': '10-12', 'hour': 0},
    {'year': 2028, 'month': 2, 'day': 29}, {'year': '2025-2027', 'month': 12, 'day': 25},
    {'year': '*/2', 'month': 7}, {'year': 2024, 'hour': 12, 'minute': 0},
    {'day': 1, 'second': 5}, {'month': 3, 'minute': 30}, {'day_of_week': 'tue', 'second': '*/20'},
    {'second': '*/10', 'jitter': 5}, {'minute': '*/30', 'jitter': 120},
]
WINDOW_SPECS = [
    {'minute': '*/10', 'start_date': '2024-05-01 12:00:00', 'end_date': '2024-05-01 12:40:00'},
    {'minute': '*/10', 'start_date': '2024-05-01T12:00:00Z', 'end_date': '2024-05-01T12:30:00Z'},
    {'hour': '*', 'start_date': '2024-05-01 12:00:00+08:00'},
    {'hour': 12, 'start_date': '2024-06-10'},
    {'second': '*/30', 'end_date': '2024-01-15 10:19:00'},
    {'second': '*/30', 'end_date': '2024-07-05T00:01:00Z'},
    {'day': 'last', 'start_date': '2023-09-01', 'end_date': '2024-09-30 23:59:59'},
    {'hour': 0, 'minute': 0, 'start_date': '2020-01-01'},
]
CRONTABS = [
    '*/5 * * * *', '0 3 * * *', '30 9 * * 1-5', '0 0 * * 0', '0 0 * * 7', '15 10,12 * * 1,7',
    '0 12 1 * *', '0 */2 * * *', '0 0 1 jan *', '0 9 * * mon-fri', '0 0 * * */2', '0 6 * * 5-7',
    '5 4 * * sun', '0 22 * * 1-5', '23 0-20/2 * * *', '0 0,12 1 */2 *', '0 8 1-7 * 1', '  0   9 *  * *  ',
]
INTERVAL_SPECS = [
    {'seconds': 30}, {'minutes': 5}, {'hours': 2}, {'days': 1}, {'weeks': 1}, {'seconds': 1.5},
    {'days': 2, 'hours': 3}, {'hours': 1, 'minutes': 30, 'seconds': 15}, {'every': {'minutes': 5}},
    {'every': {'hours': 1, 'minutes': 1}},
    {'minutes': 5, 'start_date': '2024-01-01 00:00:00'}, {'minutes': 7, 'start_date': '2024-08-01 00:00:00'},
    {'seconds': 90, 'start_date': '2024-01-01T00:00:00+08:00'}, {'hours': 5, 'start_date': '2023-06-01T00:00:00Z'},
    {'minutes': 10, 'start_date': '2024-01-15 00:00:00', 'end_date': '2024-07-05 00:30:00'},
    {'hours': 1, 'end_date': '2024-07-05T02:00:00Z'}, {'seconds': 45, 'jitter': 3},
    {'days': 1, 'start_date': '2024-01-15T10:17:23Z'},
]
DATE_SPECS = [
    {'run_date': '2099-01-01T00:00:00Z'}, {'run_date': '2024-12-24 18:30:00'}, {'run_date': '2024-12-24T18:30:00+05:30'},
    {'run_date': '2020-02-02 02:02:02'}, {'run_date': '2024-08-08'}, {'run_date': '2024-09-01T09:00:00-07:00'},
    {'run_date': '2024-07-05T00:00:00Z'},
]


def crontab_dow_names(field):
    """The crontab meaning (0 and 7 = Sunday) of a day_of_week field, as APScheduler day names."""
    out = []
    for part in field.split(','):
        m = re.match(r'^(\*|\d+(?:-\d+)?)(?:/(\d+))?$', part)
        if not m or (m.group(1) == '*' and m.group(2) is None):
            out.append(part)
            continue
        step = int(m.group(2) or 1)
        if m.group(1) == '*':
            first, last = 0, 7
        else:
            bounds = [int(x) for x in m.group(1).split('-')]
            first = bounds[0]
            last = bounds[1] if len(bounds) > 1 else (7 if m.group(2) else first)
        days = sorted({(d + 6) % 7 for d in range(first, last + 1, step)})
        runs, i = [], 0
        while i < len(days):
            j = i
            while j + 1 < len(days) and days[j + 1] == days[j] + 1:
                j += 1
            runs.append(WEEKDAYS[days[i]] if i == j else '%s-%s' % (WEEKDAYS[days[i]], WEEKDAYS[days[j]]))
            i = j + 1
        out.append(','.join(runs))
    return ','.join(out)


def parse_from(text):
    return datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=pytz.utc)


def build(spec, created):
    args = {k: v for k, v in spec.items() if k not in ('trigger', 'jitter', 'cron', 'every')}
    args.setdefault('timezone', 'UTC')
    kind = spec['trigger']
    if kind == 'cron' and 'cron' in spec:
        minute, hour, day, month, dow = spec['cron'].split()
        return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                           day_of_week=crontab_dow_names(dow), **args)
    if kind == 'cron':
        return CronTrigger(**args)
    if kind == 'interval':
        args.update(spec.get('every', {}))
        if 'start_date' not in args:
            length = timedelta(**{k: v for k, v in args.items() if k in ('weeks', 'days', 'hours', 'minutes', 'seconds')})
            args['start_date'] = created + length
        return IntervalTrigger(**args)
    args.setdefault('run_date', created)
    return DateTrigger(**args)


def fire_times(trigger, created):
    times = []
    nxt = trigger.get_next_fire_time(None, created)
    while nxt is not None and len(times) < COUNT:
        times.append(nxt)
        nxt = trigger.get_next_fire_time(nxt, nxt)
    return times


def crosses_dst(zone_name, start, end):
    zone = pytz.timezone(zone_name)
    transitions = getattr(zone, '_utc_transition_times', [])
    lo = (start - timedelta(days=1)).replace(tzinfo=None)
    hi = (end + timedelta(days=1)).replace(tzinfo=None)
    return any(lo <= t <= hi for t in transitions)


def iso(dt):
    return dt.astimezone(dt_timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'


def specs():
    for base in CRON_SPECS + WINDOW_SPECS:
        for zone in ZONES:
            yield dict({'trigger': 'cron'}, **base, timezone=zone)
    for tab in CRONTABS:
        for zone in ('UTC', 'Asia/Taipei', 'Europe/Berlin'):
            yield {'trigger': 'cron', 'cron': tab, 'timezone': zone}
    yield {'trigger': 'cron', 'cron': '*/5 * * * *'}
    yield {'trigger': 'cron', 'second': '*/5'}
    for base in INTERVAL_SPECS:
        for zone in ('UTC', 'America/New_York', 'Asia/Taipei'):
            yield dict({'trigger': 'interval'}, **base, timezone=zone)
    yield {'trigger': 'interval', 'seconds': 30}
    for base in DATE_SPECS:
        for zone in ('UTC', 'Asia/Taipei', 'Europe/London', 'America/New_York'):
            yield dict({'trigger': 'date'}, **base, timezone=zone)
    yield {'trigger': 'date', 'run_date': '2099-01-01T00:00:00Z'}
    yield {'trigger': 'date'}


def main():
    cases, left_out = [], 0
    for spec in specs():
        for from_text in FROMS:
            created = parse_from(from_text)
            trigger = build(spec, created)
            times = fire_times(trigger, created)
            zone = spec.get('timezone', 'UTC')
            last = max(times + [created])
            if crosses_dst(zone, min(times + [created]), last):
                left_out += 1
                continue
            cases.append({
                'id': 'case-%04d' % len(cases),
                'spec': spec,
                'from': iso(created),
                'count': COUNT,
                'expected': [iso(t) for t in times],
                'describe': str(trigger),
            })
    document = {
        'generator': 'scripts/trigger-vectors/generate.py',
        'oracle': 'apscheduler %s (pytz %s)' % (apscheduler.__version__, pytz.__version__),
        'semantics': 'first = get_next_fire_time(None, from); then get_next_fire_time(prev, prev); '
                     'scheduler timezone UTC; jitter ignored',
        'left_out_near_dst': left_out,
        'cases': cases,
    }
    with open(OUT, 'w') as f:
        json.dump(document, f, indent=1, sort_keys=False)
        f.write('\n')
    print('wrote %d cases (%d left out near DST transitions) to %s' % (len(cases), left_out, os.path.normpath(OUT)))


if __name__ == '__main__':
    main()
