"""Plugin for Phòng Y tế.

Declares the space kind ``yte`` and the duties the 2017 child-protection plan of huyện Đăk Tô
gives this party (see ``duties.py``). Imports nothing but the plugin contract ``intranet.plugin``.
"""
from intranet.plugin import Plugin

from .duties import DUTIES, KIND


def includeme(config):
    config.add_space_kind(KIND)
    config.add_duties(KIND.key, DUTIES)


plugin = Plugin(
    key="yte",
    title="Phòng Y tế",
    title_en="Health Office",
    description=(
        "Nhiệm vụ của Phòng Y tế trong Kế hoạch thực hiện Chương trình bảo vệ trẻ em huyện Đăk "
        "Tô năm 2017."
    ),
    includeme=includeme,
)
