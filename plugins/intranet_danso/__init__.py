"""Plugin for Trung tâm Dân số – Kế hoạch hóa gia đình (population centre).

Declares the space kind ``danso``, the duties the 2017 child-protection plan of huyện Đăk Tô gives
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
    key="danso",
    title="Trung tâm Dân số – Kế hoạch hóa gia đình",
    title_en="Population and Family Planning Centre",
    description=(
        "Nhiệm vụ của Trung tâm Dân số – Kế hoạch hóa gia đình trong Kế hoạch thực hiện Chương "
        "trình bảo vệ trẻ em huyện Đăk Tô năm 2017."
    ),
    includeme=includeme,
)
