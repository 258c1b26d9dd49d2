"""The time axis labels what fits, and never labels every day of a span it cannot show."""

from datetime import date

from tracker.charts.axes import TimeAxis


def test_a_campaign_ending_decades_away_labels_only_what_is_tried():
    # A founder may type an end date far off (2099); the public page's chart must not make
    # a label for each of its 26,000 days to find that none fits.
    axis = TimeAxis(first=date(2026, 11, 1), last=date(2099, 12, 31), left=60, right=1140)
    made = []

    def label(day: date, with_year: bool) -> str:
        made.append(day)
        return day.strftime("%d %b %Y" if with_year else "%d %b")

    ticks = axis.day_ticks(day_label=label, month_label=label, font_size=12, bounds=(0, 1200))

    assert len(made) < 100
    assert all(0 <= tick.position <= 1200 for tick in ticks)


def test_a_campaign_of_six_weeks_still_gets_its_day_ticks():
    axis = TimeAxis(first=date(2026, 11, 1), last=date(2026, 12, 12), left=60, right=1140)

    ticks = axis.day_ticks(
        day_label=lambda day, with_year: day.strftime("%d %b"),
        month_label=lambda day, with_year: day.strftime("%b"),
        font_size=12,
        bounds=(0, 1200),
    )

    assert [tick.label for tick in ticks][:2] == ["01 Nov", "04 Nov"]
