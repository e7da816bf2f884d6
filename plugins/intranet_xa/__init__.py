"""Plugin for the People's Committees of the nine communes and township (UBND các xã, thị trấn).

Declares the space kind ``xa``, the duties the 2017 child-protection plan of huyện Đăk Tô gives
this party (see ``duties.py``) and its report form (``forms.py``). Imports nothing but the plugin
contract ``intranet.plugin`` and its shared elements ``intranet.plugin.elements``.
"""

from intranet.plugin import Plugin

from .duties import DUTIES, KIND
from .forms import FORM


def includeme(config):
    config.add_space_kind(KIND)
    config.add_duties(KIND.key, DUTIES)
    config.add_report_form(FORM)


plugin = Plugin(
    key="xa",
    title="UBND các xã, thị trấn",
    title_en="Commune and Township People's Committees",
    description=(
        "Nhiệm vụ của UBND các xã, thị trấn trong Kế hoạch thực hiện Chương trình bảo vệ trẻ em huyện Đăk Tô năm 2017."
    ),
    includeme=includeme,
)
