"""Plugin for Phòng Tài chính – Kế hoạch.

Declares the space kind ``taichinh`` and the duties the 2017 child-protection plan of huyện Đăk Tô
gives this party (see ``duties.py``). Imports nothing but the plugin contract ``intranet.plugin``.
"""
from intranet.plugin import Plugin

from .duties import DUTIES, KIND


def includeme(config):
    config.add_space_kind(KIND)
    config.add_duties(KIND.key, DUTIES)


plugin = Plugin(
    key="taichinh",
    title="Phòng Tài chính – Kế hoạch",
    title_en="Finance and Planning Office",
    description=(
        "Nhiệm vụ của Phòng Tài chính – Kế hoạch trong Kế hoạch thực hiện Chương trình bảo vệ "
        "trẻ em huyện Đăk Tô năm 2017."
    ),
    includeme=includeme,
)
