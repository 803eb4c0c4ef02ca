"""Every file of the icalendar corpus (tests/data/corpus) imports or fails with ImportFailure."""

from __future__ import annotations

from pathlib import Path

import pytest

from diary.interchange.errors import ImportFailure
from diary.interchange.ics_import import parse_calendar

from .conftest import CORPUS

ICALENDAR = CORPUS / "icalendar"

# filename -> number of imported events plus series, or "error" (refused with ImportFailure).
# Files without DTSTART in a VEVENT, broken lines, broken time properties, unknown TZIDs
# without a VTIMEZONE and unterminated calendars are refused as a whole (all or nothing).
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
    "calendars/america_new_york_forward_reference.ics": "error",
    "calendars/big_bad_calendar.ics": "error",
    "calendars/bom_calendar.ics": 0,
    "calendars/broken_dtstart.ics": "error",
    "calendars/broken_ical.ics": "error",
    "calendars/calendar_with_unicode.ics": 0,
    "calendars/created_calendar_with_unicode_fields.ics": "error",
    "calendars/empty.ics": 0,
    "calendars/empty_RDATE.ics": 0,
    "calendars/example.ics": 3,
    "calendars/fuzz_testcase_0_char_in_component_name.ics": "error",
    "calendars/fuzz_testcase_invalid_month.ics": "error",
    "calendars/fuzz_testcase_vtimezone_lone_cr.ics": "error",
    "calendars/invalid_duration.ics": "error",
    "calendars/issue_104_broken_calendar.ics": "error",
    "calendars/issue_1050_all_components.ics": 1,
    "calendars/issue_1050_calendar_with_events_and_todos.ics": 2,
    "calendars/issue_1050_empty_calendar.ics": 0,
    "calendars/issue_1050_forward_timezone_reference.ics": 1,
    "calendars/issue_1050_multiple_calendars.ics": "error",
    "calendars/issue_1050_simple_calendar.ics": 1,
    "calendars/issue_1050_timezone_only_calendar.ics": 0,
    "calendars/issue_1050_uid_in_description.ics": "error",
    "calendars/issue_1081_empty_rdate.ics": 1,
    "calendars/issue_1081_event_with_rrule.ics": 1,
    "calendars/issue_1081_freebusy_comma_separated.ics": 0,
    "calendars/issue_1081_invalid_rrule_freq.ics": "error",
    "calendars/issue_1081_invalid_start_and_end.ics": "error",
    "calendars/issue_1081_invalid_start_valid_end.ics": "error",
    "calendars/issue_1081_list_of_properties.ics": 1,
    "calendars/issue_1081_tzid_param.ics": 1,
    "calendars/issue_1081_with_summary.ics": "error",
    "calendars/issue_1231_recurrence.ics": 1,
    "calendars/issue_1238.ics": 0,
    "calendars/issue_127_categories_with_commas.ics": 1,
    "calendars/issue_1426.ics": 1,
    "calendars/issue_1426_value_parameters.ics": 1,
    "calendars/issue_1549_binary_attachment.ics": "error",
    "calendars/issue_1561_image_value.ics": "error",
    "calendars/issue_156_RDATE_with_PERIOD_TZID_khal.ics": 1,
    "calendars/issue_156_RDATE_with_PERIOD_TZID_khal_2.ics": 1,
    "calendars/issue_1633_freebusy_with_dates.ics": 0,
    "calendars/issue_1633_rdate_with_dates.ics": 1,
    "calendars/issue_1633_rdate_with_dates_and_tzid.ics": 1,
    "calendars/issue_165_missing_event.ics": "error",
    "calendars/issue_168_expected_output.ics": 1,
    "calendars/issue_168_input.ics": "error",
    "calendars/issue_178_component_with_invalid_name_represented.ics": "error",
    "calendars/issue_178_custom_component_contains_other.ics": "error",
    "calendars/issue_178_custom_component_inside_other.ics": 0,
    "calendars/issue_218_bad_tzid.ics": 1,
    "calendars/issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics": 1,
    "calendars/issue_27_multiple_periods_in_freebusy_multiple_freebusies.ics": 0,
    "calendars/issue_27_multiple_periods_in_freebusy_one_freebusy.ics": 0,
    "calendars/issue_313_globally_unique_tzid.ics": 3,
    "calendars/issue_321_assert_dst_offset_is_not_false.ics": 1,
    "calendars/issue_322_expected_calendar.ics": "error",
    "calendars/issue_348_exception_parsing_value.ics": 1,
    "calendars/issue_350.ics": 1,
    "calendars/issue_351_whitespace_in_property_and_params.ics": 1,
    "calendars/issue_466_convert_tzid_with_slash.ics": 1,
    "calendars/issue_466_respect_unique_timezone.ics": 1,
    "calendars/issue_526_calendar_with_different_events.ics": 2,
    "calendars/issue_526_calendar_with_event_subset.ics": 1,
    "calendars/issue_526_calendar_with_events.ics": 2,
    "calendars/issue_526_calendar_with_shuffeled_events.ics": 2,
    "calendars/issue_722_missing_VTIMEZONE_custom.ics": "error",
    "calendars/issue_722_missing_timezones.ics": "error",
    "calendars/issue_722_timezone_transition_ambiguity.ics": 4,
    "calendars/issue_798_freebusy.ics": 0,
    "calendars/issue_798_related_to.ics": "error",
    "calendars/issue_82_expected_output.ics": "error",
    "calendars/issue_836_do_not_quote_tzid.ics": 1,
    "calendars/multiple_calendar_components.ics": 3,
    "calendars/multiple_timezones.ics": 3,
    "calendars/pacific_fiji.ics": "error",
    "calendars/parsing_error.ics": "error",
    "calendars/parsing_error_in_UTC_offset.ics": "error",
    "calendars/period_with_timezone.ics": 1,
    "calendars/pr_480_summary_with_colon.ics": "error",
    "calendars/property_params.ics": 1,
    "calendars/rfc_5545_RDATE_example.ics": "error",
    "calendars/rfc_6868.ics": "error",
    "calendars/rfc_7256_multi_value_parameters.ics": "error",
    "calendars/rfc_7265_appendix_example_1_ical.ics": 1,
    "calendars/rfc_7265_appendix_example_2_ical.ics": 1,
    "calendars/rfc_7265_example_1.ics": 0,
    "calendars/rfc_7529.ics": "error",
    "calendars/rfc_7953_3.ics": 0,
    "calendars/rfc_7986_conferences.ics": "error",
    "calendars/rfc_7986_image.ics": "error",
    "calendars/rfc_7986_properties.ics": 0,
    "calendars/rfc_9253_examples.ics": 2,
    "calendars/rfc_9253_gap.ics": "error",
    "calendars/rfc_9253_related_to.ics": "error",
    "calendars/small_bad_calendar.ics": "error",
    "calendars/time.ics": 0,
    "calendars/timezone_rdate.ics": "error",
    "calendars/timezone_same_start.ics": 1,
    "calendars/timezone_same_start_and_offset.ics": 1,
    "calendars/timezoned.ics": 1,
    "calendars/x_location.ics": 1,
    "events/event_with_escaped_character1.ics": "error",
    "events/event_with_escaped_character2.ics": "error",
    "events/event_with_escaped_character3.ics": "error",
    "events/event_with_escaped_character4.ics": "error",
    "events/event_with_escaped_characters.ics": "error",
    "events/event_with_recurrence.ics": 1,
    "events/event_with_recurrence_exdates_on_different_lines.ics": 1,
    "events/event_with_rsvp.ics": "error",
    "events/event_with_unicode_fields.ics": 1,
    "events/event_with_unicode_organizer.ics": "error",
    "events/issue_100_transformed_doctests_into_unittests.ics": "error",
    "events/issue_101_icalendar_chokes_on_umlauts_in_organizer.ics": 1,
    "events/issue_104_mark_events_broken.ics": "error",
    "events/issue_112_missing_tzinfo_on_exdate.ics": 1,
    "events/issue_156_RDATE_with_PERIOD.ics": 1,
    "events/issue_156_RDATE_with_PERIOD_list.ics": 1,
    "events/issue_157_removes_trailing_semicolon.ics": 1,
    "events/issue_184_broken_representation_of_period.ics": 1,
    "events/issue_355_url_escaping.ics": 1,
    "events/issue_355_url_escaping_2.ics": 1,
    "events/issue_355_url_escaping_empty_param.ics": "error",
    "events/issue_464_invalid_rdate.ics": "error",
    "events/issue_53_description_parsed_properly.ics": 1,
    "events/issue_64_event_with_ascii_summary.ics": "error",
    "events/issue_64_event_with_non_ascii_summary.ics": "error",
    "events/issue_70_rrule_causes_attribute_error.ics": 1,
    "events/issue_82_expected_output.ics": "error",
    "events/rfc_7265_example_4.ics": 1,
    "events/rfc_7265_request_status.ics": "error",
    "events/rfc_9074_example_1.ics": 1,
    "events/rfc_9074_example_2.ics": 1,
    "events/rfc_9074_example_3.ics": 1,
    "events/rfc_9074_example_4.ics": 1,
    "events/rfc_9074_example_proximity.ics": "error",
    "fuzzing_corpus/Index_Error.ics": "error",
    "fuzzing_corpus/Type_Error.ics": "error",
    "fuzzing_corpus/america_new_york.ics": "error",
    "fuzzing_corpus/calendar_with_unicode.ics": 0,
    "fuzzing_corpus/event_with_escaped_character1.ics": "error",
    "fuzzing_corpus/event_with_escaped_character2.ics": "error",
    "fuzzing_corpus/event_with_escaped_character3.ics": "error",
    "fuzzing_corpus/event_with_escaped_character4.ics": "error",
    "fuzzing_corpus/event_with_escaped_characters.ics": "error",
    "fuzzing_corpus/event_with_recurrence.ics": 1,
    "fuzzing_corpus/event_with_recurrence_exdates_on_different_lines.ics": 1,
    "fuzzing_corpus/event_with_rsvp.ics": "error",
    "fuzzing_corpus/event_with_unicode_fields.ics": 1,
    "fuzzing_corpus/event_with_unicode_organizer.ics": "error",
    "fuzzing_corpus/issue_100_transformed_doctests_into_unittests.ics": 0,
    "fuzzing_corpus/issue_101_icalendar_chokes_on_umlauts_in_organizer.ics": 1,
    "fuzzing_corpus/issue_104_mark_events_broken.ics": "error",
    "fuzzing_corpus/issue_112_missing_tzinfo_on_exdate.ics": 1,
    "fuzzing_corpus/issue_156_RDATE_with_PERIOD.ics": 1,
    "fuzzing_corpus/issue_156_RDATE_with_PERIOD_list.ics": 1,
    "fuzzing_corpus/issue_157_removes_trailing_semicolon.ics": 1,
    "fuzzing_corpus/issue_184_broken_representation_of_period.ics": 1,
    "fuzzing_corpus/issue_464_invalid_rdate.ics": "error",
    "fuzzing_corpus/issue_53_description_parsed_properly.ics": 1,
    "fuzzing_corpus/issue_64_event_with_ascii_summary.ics": "error",
    "fuzzing_corpus/issue_64_event_with_non_ascii_summary.ics": "error",
    "fuzzing_corpus/issue_70_rrule_causes_attribute_error.ics": 1,
    "fuzzing_corpus/issue_82_expected_output.ics": "error",
    "fuzzing_corpus/pacific_fiji.ics": "error",
    "fuzzing_corpus/time.ics": 0,
    "fuzzing_corpus/timezone_rdate.ics": "error",
    "fuzzing_corpus/timezone_same_start.ics": 1,
    "fuzzing_corpus/timezone_same_start_and_offset.ics": 1,
    "fuzzing_corpus/timezoned.ics": 1,
    "timezones/issue_237_brazilia_standard.ics": 0,
    "timezones/issue_53_tzid_parsed_properly.ics": 0,
    "timezones/issue_55_parse_error_on_utc_offset_with_seconds.ics": 0,
    "timezones/pacific_fiji.ics": 0,
    "todos/example.ics": 0,
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
            parse_calendar(
                path.read_bytes(),
                source=str(path),
                default_zone="Europe/London",
            )
        message = str(caught.value)
        assert message.startswith(str(path)), message
        assert caught.value.problem
        return
    parsed = parse_calendar(
        path.read_bytes(), source=str(path), default_zone="Europe/London"
    )
    assert len(parsed.events) + len(parsed.series) == expected
    for event in [*parsed.events, *(s.template for s in parsed.series)]:
        assert event.start.tzinfo is not None and event.end.tzinfo is not None
        assert event.end >= event.start
        assert event.uid


def test_corpus_summary() -> None:
    errors = sum(1 for value in EXPECTED.values() if value == "error")
    assert (len(EXPECTED) - errors, errors) == (119, 74)
