"""The one indicator formula (intranet.plugin.forms.Indicator.value_of), used by the district's
indicators and by a commune's actuals in its plan."""

from decimal import Decimal

import pytest

from intranet.plugin import Indicator


def _ind(**kw):
    return Indicator(key="k", title="t", title_en="t", **kw)


@pytest.mark.parametrize(
    "indicator, totals, expected",
    [
        (_ind(numerator=("a",)), {"a": Decimal(12)}, Decimal(12)),
        (_ind(numerator=("a", "b")), {"b": Decimal(3)}, Decimal(3)),  # a missing figure counts 0
        (_ind(numerator=("a",), denominator=("d",), factor=100), {"a": Decimal(9), "d": Decimal(12)}, Decimal("75.0")),
        (_ind(numerator=("a",), denominator=("d",), factor=100), {"a": Decimal(1), "d": Decimal(3)}, Decimal("33.3")),
        (_ind(numerator=("a",), denominator=("d",), factor=100), {"a": Decimal(1), "d": Decimal(0)}, None),
        (_ind(numerator=("a",), denominator=("d",), factor=100), {"a": Decimal(1)}, None),  # no denominator at all
        (_ind(numerator=("a",)), {"x": Decimal(5)}, None),  # nobody reported the numerator
    ],
)
def test_value_of(indicator, totals, expected):
    assert indicator.value_of(totals.get) == expected
