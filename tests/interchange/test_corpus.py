"""Every file of the icalendar corpus (tests/data/corpus) imports or fails with ImportFailure."""

from __future__ import annotations

from pathlib import Path

import pytest

from diary.interchange.errors import ImportFailure
from diary.interchange.ics_import import parse_calendar

from .conftest import CORPUS

ICALENDAR = CORPUS / "icalendar"

# filename -> number of imported events plus series, or "error" (refused with ImportFailure).
# Inside a well-formed file every event is read on its own: one without DTSTART, with a
# broken DTSTART or RRULE is skipped and reported, the rest imports (see REFUSED for the
# files refused whole, and why).
EXPECTED: dict[str, int | str] = {
    "alarms/example.ics": 0,
    "alarms/rfc_5545_absolute_alarm_example.ics": 0,
    "alarms/rfc_5545_end.ics": 0,
    "alarms/start_date.ics": 0,
    "calendars/alarm_etar_future.ics": 1,
    "calendars/alarm_etar_notification.ics": 1,
    "calendars/alarm_etar_notification_clicked.ics": 1,
    "calendars/alarm_google_acknowledged.ics": 1,
    "calendars/alarm_google_future.ics": 1,
    "calendars/alarm_thunderbird_2_future.ics": 1,
    "calendars/alarm_thunderbird_2_notification_5_min_postponed.ics": 1,
    "calendars/alarm_thunderbird_2_notification_5_min_postponed_and_closed.ics": 1,
    "calendars/alarm_thunderbird_2_notification_5_min_postponed_and_popped_up.ics": 1,
    "calendars/alarm_thunderbird_2_notification_popped_up.ics": 1,
    "calendars/alarm_thunderbird_closed.ics": 1,
    "calendars/alarm_thunderbird_future.ics": 1,
    "calendars/alarm_thunderbird_snoozed_until_1457.ics": 1,
    "calendars/america_new_york.ics": 1,
    "calendars/america_new_york_forward_reference.ics": 1,
    "calendars/big_bad_calendar.ics": "error",
    "calendars/bom_calendar.ics": 0,
    "calendars/broken_dtstart.ics": 0,
    "calendars/broken_ical.ics": 0,
    "calendars/calendar_with_unicode.ics": 0,
    "calendars/created_calendar_with_unicode_fields.ics": 2,
    "calendars/empty.ics": 0,
    "calendars/empty_RDATE.ics": 0,
    "calendars/example.ics": 3,
    "calendars/fuzz_testcase_0_char_in_component_name.ics": "error",
    "calendars/fuzz_testcase_invalid_month.ics": "error",
    "calendars/fuzz_testcase_vtimezone_lone_cr.ics": 0,
    "calendars/invalid_duration.ics": 1,
    "calendars/issue_104_broken_calendar.ics": 1,
    "calendars/issue_1050_all_components.ics": 1,
    "calendars/issue_1050_calendar_with_events_and_todos.ics": 2,
    "calendars/issue_1050_empty_calendar.ics": 0,
    "calendars/issue_1050_forward_timezone_reference.ics": 1,
    "calendars/issue_1050_multiple_calendars.ics": 0,
    "calendars/issue_1050_simple_calendar.ics": 1,
    "calendars/issue_1050_timezone_only_calendar.ics": 0,
    "calendars/issue_1050_uid_in_description.ics": 0,
    "calendars/issue_1081_empty_rdate.ics": 1,
    "calendars/issue_1081_event_with_rrule.ics": 1,
    "calendars/issue_1081_freebusy_comma_separated.ics": 0,
    "calendars/issue_1081_invalid_rrule_freq.ics": 0,
    "calendars/issue_1081_invalid_start_and_end.ics": 0,
    "calendars/issue_1081_invalid_start_valid_end.ics": 0,
    "calendars/issue_1081_list_of_properties.ics": 1,
    "calendars/issue_1081_tzid_param.ics": 1,
    "calendars/issue_1081_with_summary.ics": 0,
    "calendars/issue_1231_recurrence.ics": 1,
    "calendars/issue_1238.ics": 0,
    "calendars/issue_127_categories_with_commas.ics": 1,
    "calendars/issue_1426.ics": 1,
    "calendars/issue_1426_value_parameters.ics": 1,
    "calendars/issue_1549_binary_attachment.ics": 0,
    "calendars/issue_1561_image_value.ics": 0,
    "calendars/issue_156_RDATE_with_PERIOD_TZID_khal.ics": 1,
    "calendars/issue_156_RDATE_with_PERIOD_TZID_khal_2.ics": 1,
    "calendars/issue_1633_freebusy_with_dates.ics": 0,
    "calendars/issue_1633_rdate_with_dates.ics": 1,
    "calendars/issue_1633_rdate_with_dates_and_tzid.ics": 1,
    "calendars/issue_165_missing_event.ics": 0,
    "calendars/issue_168_expected_output.ics": 1,
    "calendars/issue_168_input.ics": 1,
    "calendars/issue_178_component_with_invalid_name_represented.ics": "error",
    "calendars/issue_178_custom_component_contains_other.ics": "error",
    "calendars/issue_178_custom_component_inside_other.ics": 0,
    "calendars/issue_218_bad_tzid.ics": 1,
    "calendars/issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics": 1,
    "calendars/issue_27_multiple_periods_in_freebusy_multiple_freebusies.ics": 0,
    "calendars/issue_27_multiple_periods_in_freebusy_one_freebusy.ics": 0,
    "calendars/issue_313_globally_unique_tzid.ics": 3,
    "calendars/issue_321_assert_dst_offset_is_not_false.ics": 1,
    "calendars/issue_322_expected_calendar.ics": 0,
    "calendars/issue_348_exception_parsing_value.ics": 1,
    "calendars/issue_350.ics": 1,
    "calendars/issue_351_whitespace_in_property_and_params.ics": 1,
    "calendars/issue_466_convert_tzid_with_slash.ics": 1,
    "calendars/issue_466_respect_unique_timezone.ics": 1,
    "calendars/issue_526_calendar_with_different_events.ics": 2,
    "calendars/issue_526_calendar_with_event_subset.ics": 1,
    "calendars/issue_526_calendar_with_events.ics": 2,
    "calendars/issue_526_calendar_with_shuffeled_events.ics": 2,
    "calendars/issue_722_missing_VTIMEZONE_custom.ics": 1,
    "calendars/issue_722_missing_timezones.ics": 1,
    "calendars/issue_722_timezone_transition_ambiguity.ics": 4,
    "calendars/issue_798_freebusy.ics": 0,
    "calendars/issue_798_related_to.ics": 0,
    "calendars/issue_82_expected_output.ics": 0,
    "calendars/issue_836_do_not_quote_tzid.ics": 1,
    "calendars/multiple_calendar_components.ics": 3,
    "calendars/multiple_timezones.ics": 3,
    "calendars/pacific_fiji.ics": 1,
    "calendars/parsing_error.ics": 2,
    "calendars/parsing_error_in_UTC_offset.ics": 0,
    "calendars/period_with_timezone.ics": 1,
    "calendars/pr_480_summary_with_colon.ics": "error",
    "calendars/property_params.ics": 1,
    "calendars/rfc_5545_RDATE_example.ics": 0,
    "calendars/rfc_6868.ics": 0,
    "calendars/rfc_7256_multi_value_parameters.ics": 0,
    "calendars/rfc_7265_appendix_example_1_ical.ics": 1,
    "calendars/rfc_7265_appendix_example_2_ical.ics": 1,
    "calendars/rfc_7265_example_1.ics": 0,
    "calendars/rfc_7529.ics": 0,
    "calendars/rfc_7953_3.ics": 0,
    "calendars/rfc_7986_conferences.ics": 0,
    "calendars/rfc_7986_image.ics": 0,
    "calendars/rfc_7986_properties.ics": 0,
    "calendars/rfc_9253_examples.ics": 2,
    "calendars/rfc_9253_gap.ics": 0,
    "calendars/rfc_9253_related_to.ics": 0,
    "calendars/small_bad_calendar.ics": "error",
    "calendars/time.ics": 0,
    "calendars/timezone_rdate.ics": 1,
    "calendars/timezone_same_start.ics": 1,
    "calendars/timezone_same_start_and_offset.ics": 1,
    "calendars/timezoned.ics": 1,
    "calendars/x_location.ics": 1,
    "events/event_with_escaped_character1.ics": 0,
    "events/event_with_escaped_character2.ics": 0,
    "events/event_with_escaped_character3.ics": 0,
    "events/event_with_escaped_character4.ics": 0,
    "events/event_with_escaped_characters.ics": 0,
    "events/event_with_recurrence.ics": 1,
    "events/event_with_recurrence_exdates_on_different_lines.ics": 1,
    "events/event_with_rsvp.ics": 0,
    "events/event_with_unicode_fields.ics": 1,
    "events/event_with_unicode_organizer.ics": 0,
    "events/issue_100_transformed_doctests_into_unittests.ics": 0,
    "events/issue_101_icalendar_chokes_on_umlauts_in_organizer.ics": 1,
    "events/issue_104_mark_events_broken.ics": 1,
    "events/issue_112_missing_tzinfo_on_exdate.ics": 1,
    "events/issue_156_RDATE_with_PERIOD.ics": 1,
    "events/issue_156_RDATE_with_PERIOD_list.ics": 1,
    "events/issue_157_removes_trailing_semicolon.ics": 1,
    "events/issue_184_broken_representation_of_period.ics": 1,
    "events/issue_355_url_escaping.ics": 1,
    "events/issue_355_url_escaping_2.ics": 1,
    "events/issue_355_url_escaping_empty_param.ics": 0,
    "events/issue_464_invalid_rdate.ics": 1,
    "events/issue_53_description_parsed_properly.ics": 1,
    "events/issue_64_event_with_ascii_summary.ics": 0,
    "events/issue_64_event_with_non_ascii_summary.ics": 0,
    "events/issue_70_rrule_causes_attribute_error.ics": 1,
    "events/issue_82_expected_output.ics": 0,
    "events/rfc_7265_example_4.ics": 1,
    "events/rfc_7265_request_status.ics": 0,
    "events/rfc_9074_example_1.ics": 1,
    "events/rfc_9074_example_2.ics": 1,
    "events/rfc_9074_example_3.ics": 1,
    "events/rfc_9074_example_4.ics": 1,
    "events/rfc_9074_example_proximity.ics": 0,
    "fuzzing_corpus/Index_Error.ics": "error",
    "fuzzing_corpus/Type_Error.ics": "error",
    "fuzzing_corpus/america_new_york.ics": 1,
    "fuzzing_corpus/calendar_with_unicode.ics": 0,
    "fuzzing_corpus/event_with_escaped_character1.ics": 0,
    "fuzzing_corpus/event_with_escaped_character2.ics": 0,
    "fuzzing_corpus/event_with_escaped_character3.ics": 0,
    "fuzzing_corpus/event_with_escaped_character4.ics": 0,
    "fuzzing_corpus/event_with_escaped_characters.ics": 0,
    "fuzzing_corpus/event_with_recurrence.ics": 1,
    "fuzzing_corpus/event_with_recurrence_exdates_on_different_lines.ics": 1,
    "fuzzing_corpus/event_with_rsvp.ics": 0,
    "fuzzing_corpus/event_with_unicode_fields.ics": 1,
    "fuzzing_corpus/event_with_unicode_organizer.ics": 0,
    "fuzzing_corpus/issue_100_transformed_doctests_into_unittests.ics": 0,
    "fuzzing_corpus/issue_101_icalendar_chokes_on_umlauts_in_organizer.ics": 1,
    "fuzzing_corpus/issue_104_mark_events_broken.ics": 1,
    "fuzzing_corpus/issue_112_missing_tzinfo_on_exdate.ics": 1,
    "fuzzing_corpus/issue_156_RDATE_with_PERIOD.ics": 1,
    "fuzzing_corpus/issue_156_RDATE_with_PERIOD_list.ics": 1,
    "fuzzing_corpus/issue_157_removes_trailing_semicolon.ics": 1,
    "fuzzing_corpus/issue_184_broken_representation_of_period.ics": 1,
    "fuzzing_corpus/issue_464_invalid_rdate.ics": 1,
    "fuzzing_corpus/issue_53_description_parsed_properly.ics": 1,
    "fuzzing_corpus/issue_64_event_with_ascii_summary.ics": 0,
    "fuzzing_corpus/issue_64_event_with_non_ascii_summary.ics": 0,
    "fuzzing_corpus/issue_70_rrule_causes_attribute_error.ics": 1,
    "fuzzing_corpus/issue_82_expected_output.ics": 0,
    "fuzzing_corpus/pacific_fiji.ics": 1,
    "fuzzing_corpus/time.ics": 0,
    "fuzzing_corpus/timezone_rdate.ics": 1,
    "fuzzing_corpus/timezone_same_start.ics": 1,
    "fuzzing_corpus/timezone_same_start_and_offset.ics": 1,
    "fuzzing_corpus/timezoned.ics": 1,
    "timezones/issue_237_brazilia_standard.ics": 0,
    "timezones/issue_53_tzid_parsed_properly.ics": 0,
    "timezones/issue_55_parse_error_on_utc_offset_with_seconds.ics": 0,
    "timezones/pacific_fiji.ics": 0,
    "todos/example.ics": 0,
}


# The files refused whole, each for what the issue says is refused: "A file that is not
# iCalendar, or whose structure is broken (unbalanced BEGIN/END), is still refused".
# icalendar's own lenient parser reads the first six; the last three it cannot read either.
REFUSED = {
    "calendars/big_bad_calendar.ics": "BEGIN:VCALENDAR is never closed",
    "calendars/small_bad_calendar.ics": "BEGIN:VCALENDAR is never closed",
    "calendars/pr_480_summary_with_colon.ics": "BEGIN:VCALENDAR is never closed",
    "calendars/fuzz_testcase_0_char_in_component_name.ics": "is not a component name",
    "calendars/issue_178_component_with_invalid_name_represented.ics": "not an iCalendar file",
    "calendars/issue_178_custom_component_contains_other.ics": "not an iCalendar file",
    "calendars/fuzz_testcase_invalid_month.ics": "not an iCalendar file",
    "fuzzing_corpus/Index_Error.ics": "without a BEGIN",
    "fuzzing_corpus/Type_Error.ics": "without a BEGIN",
}


def _corpus_files() -> list[Path]:
    """Every .ics file of the corpus (a missing folder fails the test below, never skips)."""
    return sorted(ICALENDAR.rglob("*.ics"))


def _name(path: Path) -> str:
    return path.relative_to(ICALENDAR).as_posix()


def test_expectation_list_covers_the_corpus() -> None:
    names = {_name(path) for path in _corpus_files()}
    assert names == set(EXPECTED), "update EXPECTED: the corpus changed"
    assert len(names) == 193


@pytest.mark.parametrize("path", _corpus_files(), ids=_name)
def test_corpus_file(path: Path) -> None:
    expected = EXPECTED[_name(path)]
    if expected == "error":
        with pytest.raises(ImportFailure) as caught:
            parse_calendar(path.read_bytes(), source=str(path), default_zone="Europe/London")
        message = str(caught.value)
        assert message.startswith(f"{path}:"), message  # file:line
        assert REFUSED[_name(path)] in message
        return
    parsed = parse_calendar(path.read_bytes(), source=str(path), default_zone="Europe/London")
    assert len(parsed.events) + len(parsed.series) == expected
    for event in [*parsed.events, *(s.template for s in parsed.series)]:
        assert event.start.tzinfo is not None and event.end.tzinfo is not None
        assert event.end >= event.start
        assert event.uid
    # Every event left out is said, with its line.
    skipped = [repair for repair in parsed.repairs if repair.skipped]
    assert len(skipped) == parsed.skipped["unreadable event"]
    assert all(repair.line is not None and repair.what for repair in parsed.repairs)


def test_corpus_summary() -> None:
    errors = {name for name, value in EXPECTED.items() if value == "error"}
    assert errors == set(REFUSED)
    assert (len(EXPECTED) - len(errors), len(errors)) == (184, 9)
