"""When reminders fall due, on the learner's clock, including both DST changes of 2026 in
Berlin (29 March: 02:00 → 03:00; 25 October: 03:00 → 02:00)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from reminders.schedule import DIGEST_GRACE, digest_due, local_instant, nudge_due

BERLIN = ZoneInfo("Europe/Berlin")
SUNDAY = 6


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_a_sunday_digest_at_nine_fires_at_seven_utc_on_the_day_summer_time_begins():
    assert digest_due(utc(2026, 3, 29, 6, 59), BERLIN, SUNDAY, 9) is None
    assert digest_due(utc(2026, 3, 29, 7, 0), BERLIN, SUNDAY, 9) == "2026-W13"


def test_a_sunday_digest_at_nine_fires_at_eight_utc_the_week_before():
    assert digest_due(utc(2026, 3, 22, 7, 59), BERLIN, SUNDAY, 9) is None
    assert digest_due(utc(2026, 3, 22, 8, 0), BERLIN, SUNDAY, 9) == "2026-W12"


def test_a_sunday_digest_at_nine_fires_at_eight_utc_on_the_day_summer_time_ends():
    assert digest_due(utc(2026, 10, 25, 7, 59), BERLIN, SUNDAY, 9) is None
    assert digest_due(utc(2026, 10, 25, 8, 0), BERLIN, SUNDAY, 9) == "2026-W43"


def test_a_saturday_digest_before_summer_time_ends_is_still_at_summer_time():
    assert digest_due(utc(2026, 10, 24, 6, 59), BERLIN, 5, 9) is None
    assert digest_due(utc(2026, 10, 24, 7, 0), BERLIN, 5, 9) == "2026-W43"


def test_a_digest_hour_that_does_not_exist_fires_when_the_clocks_jump():
    assert local_instant(date(2026, 3, 29), 2, BERLIN) == utc(2026, 3, 29, 1, 0)
    assert digest_due(utc(2026, 3, 29, 0, 59), BERLIN, SUNDAY, 2) is None
    assert digest_due(utc(2026, 3, 29, 1, 0), BERLIN, SUNDAY, 2) == "2026-W13"


def test_a_digest_hour_that_happens_twice_fires_the_first_time():
    assert local_instant(date(2026, 10, 25), 2, BERLIN) == utc(2026, 10, 25, 0, 0)


def test_a_digest_is_not_sent_late_beyond_its_grace():
    on_time = utc(2026, 3, 29, 7, 0)
    assert digest_due(on_time + DIGEST_GRACE, BERLIN, SUNDAY, 9) is None
    assert digest_due(utc(2026, 3, 30, 7, 0), BERLIN, SUNDAY, 9) is None


def test_a_nudge_counts_local_days_across_the_spring_change():
    """Ticked on Saturday 28 March at 23:30 in Berlin (22:30 UTC); one day without a tick
    has passed on Sunday the 29th, and the nudge comes at 09:00 there, 07:00 UTC."""
    last = date(2026, 3, 28)
    assert nudge_due(utc(2026, 3, 29, 6, 59), BERLIN, 9, last, 1) is None
    assert nudge_due(utc(2026, 3, 29, 7, 0), BERLIN, 9, last, 1) == "2026-03-28"


def test_a_nudge_counts_local_days_across_the_autumn_change():
    last = date(2026, 10, 24)
    assert nudge_due(utc(2026, 10, 25, 7, 59), BERLIN, 9, last, 1) is None
    assert nudge_due(utc(2026, 10, 25, 8, 0), BERLIN, 9, last, 1) == "2026-10-24"


def test_a_nudge_waits_the_number_of_days_the_learner_chose():
    last = date(2026, 3, 20)
    assert nudge_due(utc(2026, 3, 22, 12, 0), BERLIN, 9, last, 3) is None
    assert nudge_due(utc(2026, 3, 23, 12, 0), BERLIN, 9, last, 3) == "2026-03-20"
    # Still the same quiet spell a week later: the same key, so no second nudge.
    assert nudge_due(utc(2026, 3, 30, 12, 0), BERLIN, 9, last, 3) == "2026-03-20"
