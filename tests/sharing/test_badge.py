"""The progress badge's drawing: escaped, bounded, and saying its percent in words too."""

from sharing.badge import TITLE_MAX_WIDTH, progress_badge


def test_the_badge_names_the_roadmap_and_the_percent_for_screen_readers():
    svg = progress_badge("Machine Learning Engineer", 42)

    assert 'aria-label="Machine Learning Engineer: 42% complete"' in svg
    assert "<title>Machine Learning Engineer: 42% complete</title>" in svg
    assert ">42%</text>" in svg


def test_the_badge_escapes_every_text():
    svg = progress_badge('"/><script>alert(1)</script><a href="', 5)

    label = svg.split('aria-label="')[1].split('"')[0]
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert label.startswith("&quot;/&gt;")


def test_a_long_title_is_cut_so_the_badge_stays_small():
    short = progress_badge("Go", 10)
    long = progress_badge("A very long roadmap title " * 10, 10)

    width = int(long.split('width="')[1].split('"')[0])
    assert "…" in long
    assert width < TITLE_MAX_WIDTH + 80
    assert int(short.split('width="')[1].split('"')[0]) < width


def test_a_finished_roadmap_has_its_own_colour():
    assert 'fill="#1a7f37"' in progress_badge("Go", 100)
    assert 'fill="#1a7f37"' not in progress_badge("Go", 99)
