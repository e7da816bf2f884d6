"""Plugin for Phòng Lao động – Thương binh và Xã hội, the lead agency of the plan.

Declares the space kind ``ldtbxh`` and the duties the 2017 child-protection plan of huyện Đăk Tô
gives this party (see ``duties.py``). Imports nothing but the plugin contract ``intranet.plugin``.
"""
from intranet.plugin import Plugin

from .duties import DUTIES, KIND


def includeme(config):
    config.add_space_kind(KIND)
    config.add_duties(KIND.key, DUTIES)


plugin = Plugin(
    key="ldtbxh",
    title="Phòng Lao động – Thương binh và Xã hội",
    title_en="Labour, Invalids and Social Affairs Office",
    description=(
        "Nhiệm vụ của Phòng Lao động – Thương binh và Xã hội, cơ quan chủ trì Kế hoạch thực "
        "hiện Chương trình bảo vệ trẻ em huyện Đăk Tô năm 2017."
    ),
    includeme=includeme,
)
