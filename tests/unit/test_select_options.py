"""The options of a long <select> (a filter by unit), built in one pass."""

from __future__ import annotations

from markupsafe import Markup

from intranet.web import select_options


def test_each_choice_is_an_option_and_the_chosen_one_is_selected():
    html = select_options([("tan-canh", "UBND xã Tân Cảnh"), ("kon-dao", "UBND xã Kon Đào")], "kon-dao")
    assert isinstance(html, Markup)
    assert html == (
        '<option value="tan-canh">UBND xã Tân Cảnh</option><option value="kon-dao" selected>UBND xã Kon Đào</option>'
    )


def test_nothing_selected_without_a_choice_or_with_an_empty_one():
    pairs = [("", "Tất cả"), ("tan-canh", "Tân Cảnh")]
    assert " selected" not in select_options(pairs)
    assert " selected" not in select_options(pairs[1:], "")
    assert select_options([]) == ""


def test_values_and_labels_are_escaped():
    html = select_options([('x" onmouseover="alert(1)', "<script>alert(1)</script> & co")], 'x" onmouseover="alert(1)')
    assert "<script>" not in html and 'x" onmouseover' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert 'value="x&#34; onmouseover=&#34;alert(1)" selected' in html
