"""Plugin for Trung tâm Y tế huyện (district health centre).

Declares the space kind ``ttyte`` and the duties the 2017 child-protection plan of huyện Đăk Tô
gives this party (see ``duties.py``). Imports nothing but the plugin contract ``intranet.plugin``.
"""
from intranet.plugin import Plugin

from .duties import DUTIES, KIND


def includeme(config):
    config.add_space_kind(KIND)
    config.add_duties(KIND.key, DUTIES)


plugin = Plugin(
    key="ttyte",
    title="Trung tâm Y tế huyện",
    title_en="District Health Centre",
    description=(
        "Nhiệm vụ của Trung tâm Y tế huyện trong Kế hoạch thực hiện Chương trình bảo vệ trẻ em "
        "huyện Đăk Tô năm 2017."
    ),
    includeme=includeme,
)
