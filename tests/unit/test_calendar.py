import itertools
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.calendar import WorkingCalendar
from shared.field_messages import FieldMessage

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = 3600

# Qingming 2026: Saturday 4 April to Monday 6 April off.
QINGMING = WorkingCalendar(holidays=frozenset({date(2026, 4, 6)}))


def local(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_an_hour_before_a_holiday_weekend_runs_on_into_tuesday():
    deadline = QINGMING.add(local(2026, 4, 3, 17, 25), 1 * HOUR)  # Friday
    assert deadline.astimezone(SHANGHAI) == local(2026, 4, 7, 9, 55)  # Tuesday


def test_an_hour_from_after_closing_starts_counting_the_next_working_morning():
    deadline = WorkingCalendar().add(local(2026, 3, 13, 17, 55), 1 * HOUR)  # Friday
    assert deadline.astimezone(SHANGHAI) == local(2026, 3, 16, 10, 0)  # Monday


def test_a_start_in_the_lunch_break_starts_counting_at_1330():
    deadline = WorkingCalendar().add(local(2026, 3, 11, 12, 40), 1 * HOUR)
    assert deadline.astimezone(SHANGHAI) == local(2026, 3, 11, 14, 30)


@pytest.mark.parametrize("hours", [
    # Default 7 h day: Wednesday 10:00-17:30 is 6 h, Friday 7 h, then 1 h on the Saturday.
    WorkingCalendar().hours,
    # 7.5 h day: Wednesday 10:00-17:30 is 6.5 h, Friday 7.5 h, then 1 h on the Saturday.
    ((time(9, 0), time(12, 0)), (time(13, 0), time(17, 30))),
])
def test_working_days_skip_a_holiday_and_use_an_adjusted_working_saturday(hours):
    calendar = WorkingCalendar(hours=hours,
                               holidays=frozenset({date(2026, 3, 12)}),          # Thursday
                               extra_workdays=frozenset({date(2026, 3, 14)}))    # Saturday (调休)
    deadline = calendar.add(local(2026, 3, 11, 10, 0), calendar.working_days(2))
    assert deadline.astimezone(SHANGHAI) == local(2026, 3, 14, 10, 0)


def test_a_pause_over_a_weekend_counts_only_working_hours():
    elapsed = WorkingCalendar().between(local(2026, 3, 13, 16, 30), local(2026, 3, 16, 10, 0))
    assert elapsed == 2 * HOUR


def test_between_is_zero_when_the_end_is_not_after_the_start():
    calendar = WorkingCalendar()
    assert calendar.between(local(2026, 3, 11, 11, 0), local(2026, 3, 11, 10, 0)) == 0
    assert calendar.between(local(2026, 3, 11, 11, 0), local(2026, 3, 11, 11, 0)) == 0


def test_zero_working_time_inside_a_period_is_the_start_itself():
    start = local(2026, 3, 11, 10, 17)
    assert WorkingCalendar().add(start, 0) == start


def test_zero_working_time_outside_working_time_is_the_next_opening():
    calendar = WorkingCalendar()
    assert calendar.add(local(2026, 3, 11, 12, 0), 0) == local(2026, 3, 11, 13, 30)
    assert calendar.add(local(2026, 3, 13, 17, 30), 0) == local(2026, 3, 16, 9, 0)


def test_a_limit_that_runs_out_at_closing_time_ends_at_closing_time():
    assert WorkingCalendar().add(local(2026, 3, 13, 16, 30), 1 * HOUR) == local(2026, 3, 13, 17, 30)


def test_add_and_between_are_inverse():
    calendar = WorkingCalendar(holidays=frozenset({date(2026, 4, 6), date(2026, 5, 1)}),
                               extra_workdays=frozenset({date(2026, 4, 11)}))
    starts = [local(2026, 4, 3, 8, 59), local(2026, 4, 3, 11, 59), local(2026, 4, 3, 12, 7),
              local(2026, 4, 4, 15, 0), local(2026, 4, 5, 23, 59), local(2026, 4, 6, 10, 0),
              local(2026, 4, 11, 17, 29), local(2026, 4, 30, 13, 31)]
    amounts = [0, 1, 1 * HOUR, calendar.working_days(2), calendar.working_days(5) + 123.456]
    for start, amount in itertools.product(starts, amounts):
        deadline = calendar.add(start, amount)
        assert calendar.between(start, deadline) == pytest.approx(amount, abs=1e-3), (start, amount)


def test_a_start_in_utc_is_placed_on_the_stations_calendar():
    deadline = QINGMING.add(datetime(2026, 4, 3, 9, 25, tzinfo=UTC), 1 * HOUR)  # 17:25 in Shanghai
    assert deadline.tzinfo is UTC
    assert deadline == datetime(2026, 4, 7, 1, 55, tzinfo=UTC)
    assert deadline.astimezone(SHANGHAI) == local(2026, 4, 7, 9, 55)


def test_adjusted_working_days_and_holidays_decide_the_working_day():
    calendar = WorkingCalendar(holidays=frozenset({date(2026, 3, 12)}),
                               extra_workdays=frozenset({date(2026, 3, 14)}))
    assert calendar.is_working_day(date(2026, 3, 11))
    assert not calendar.is_working_day(date(2026, 3, 12))
    assert calendar.is_working_day(date(2026, 3, 14))
    assert not calendar.is_working_day(date(2026, 3, 15))


def test_a_working_day_is_as_long_as_its_periods():
    assert WorkingCalendar().seconds_per_day == 7 * HOUR  # 09:00-12:00 and 13:30-17:30
    assert WorkingCalendar().working_days(2) == 14 * HOUR
    seven_and_a_half = WorkingCalendar(hours=((time(9, 0), time(12, 0)), (time(13, 0), time(17, 30))))
    assert seven_and_a_half.seconds_per_day == 27000


def test_config_accepts_dates_already_loaded_by_a_schema():
    calendar = WorkingCalendar.from_config({"holidays": [date(2026, 4, 6)], "extra_workdays": ["2026-04-26"]})
    assert calendar.to_config()["holidays"] == ["2026-04-06"]


def test_config_round_trip():
    settings = {"timezone": "Asia/Shanghai", "hours": ["08:30-12:00", "14:00-18:00"],
                "weekend": ["sunday"], "holidays": ["2026-04-06", "2026-05-01"],
                "extra_workdays": ["2026-04-26"]}
    calendar = WorkingCalendar.from_config(settings)
    assert calendar == WorkingCalendar(hours=((time(8, 30), time(12, 0)), (time(14, 0), time(18, 0))),
                                       weekend=frozenset({6}),
                                       holidays=frozenset({date(2026, 4, 6), date(2026, 5, 1)}),
                                       extra_workdays=frozenset({date(2026, 4, 26)}))
    assert calendar.to_config() == settings
    assert WorkingCalendar.from_config(calendar.to_config()) == calendar


def test_empty_config_is_the_default_calendar():
    assert WorkingCalendar.from_config({}) == WorkingCalendar()
    assert WorkingCalendar.from_config(WorkingCalendar().to_config()) == WorkingCalendar()


def test_config_accepts_weekday_numbers_and_periods_out_of_order():
    calendar = WorkingCalendar.from_config({"weekend": [5, "Sunday"], "hours": ["13:30-17:30", "9:00-12:00"]})
    assert calendar == WorkingCalendar()


@pytest.mark.parametrize("settings, key", [
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": 8}, "timezone"),
    ({"hours": ["0900-1200"]}, "hours"),
    ({"hours": ["25:00-26:00"]}, "hours"),
    ({"hours": ["09:60-12:00"]}, "hours"),
    ({"hours": ["12:00-09:00"]}, "hours"),
    ({"hours": ["09:00-09:00"]}, "hours"),
    ({"hours": ["09:00-12:00", "11:30-13:00"]}, "hours"),
    ({"hours": []}, "hours"),
    ({"hours": "09:00-12:00"}, "hours"),
    ({"weekend": ["caturday"]}, "weekend"),
    ({"weekend": [7]}, "weekend"),
    ({"weekend": [True]}, "weekend"),
    ({"holidays": ["2026-02-30"]}, "holidays"),
    ({"holidays": [20260406]}, "holidays"),
    ({"holidays": [datetime(2026, 4, 6, tzinfo=UTC)]}, "holidays"),
    ({"holidays": "2026-04-06"}, "holidays"),
    ({"extra_workdays": ["next saturday"]}, "extra_workdays"),
    ({"holidays": ["2026-04-06"], "extra_workdays": ["2026-04-06"]}, "holidays"),
    ({"holiday": ["2026-04-06"]}, "holiday"),
])
def test_malformed_config_is_refused_naming_the_setting(settings, key):
    with pytest.raises(ValueError, match=rf"^{key}: ") as refused:
        WorkingCalendar.from_config(settings)
    # A station's calendar is a form's field: its message is worded for the reader (Chinese too).
    assert isinstance(refused.value.args[0], FieldMessage)
    assert re.search(r"[\u4e00-\u9fff]", refused.value.args[0].in_language("zh-CN"))


def test_a_calendar_without_any_working_day_is_refused_when_built():
    with pytest.raises(ValueError, match="^weekend: at least one day"):
        WorkingCalendar(weekend=frozenset(range(7)))


def test_a_calendar_whose_working_days_are_all_past_refuses_instead_of_hanging():
    calendar = WorkingCalendar(weekend=frozenset(range(7)), extra_workdays=frozenset({date(2020, 1, 1)}))
    with pytest.raises(ValueError, match="no working day"):
        calendar.add(local(2026, 3, 11, 10, 0), 1 * HOUR)


def test_a_calendar_with_only_adjusted_working_days_still_opens_on_them():
    calendar = WorkingCalendar(weekend=frozenset(range(7)), extra_workdays=frozenset({date(2026, 9, 1)}))
    assert calendar.add(local(2026, 3, 11, 10, 0), 1 * HOUR) == local(2026, 9, 1, 10, 0)


@pytest.mark.parametrize("call", [
    lambda calendar: calendar.add(datetime(2026, 3, 11, 10, 0), HOUR),
    lambda calendar: calendar.between(datetime(2026, 3, 11, 10, 0), local(2026, 3, 11, 11, 0)),
    lambda calendar: calendar.between(local(2026, 3, 11, 10, 0), datetime(2026, 3, 11, 11, 0)),
])
def test_naive_datetimes_are_refused_as_ambiguous(call):
    with pytest.raises(ValueError, match="ambiguous"):
        call(WorkingCalendar())


@pytest.mark.parametrize("seconds", [-1, float("nan"), float("inf")])
def test_negative_or_endless_working_time_is_refused(seconds):
    with pytest.raises(ValueError, match="seconds"):
        WorkingCalendar().add(local(2026, 3, 11, 10, 0), seconds)


def test_a_long_limit_walks_period_by_period():
    calendar = WorkingCalendar()
    start = local(2026, 1, 5, 9, 0)  # Monday
    deadline = calendar.add(start, calendar.working_days(5 * 52))
    # 52 weeks of five working days with no holidays: the Friday 51 weeks later, at closing time.
    assert deadline.astimezone(SHANGHAI) == local(2026, 1, 5, 17, 30) + timedelta(weeks=51, days=4)
