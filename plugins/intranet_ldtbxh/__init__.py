"""Plugin for Phòng Lao động – Thương binh và Xã hội, the lead agency of the plan.

Declares the space kind ``ldtbxh``, the duties the 2017 child-protection plan of huyện Đăk Tô gives
this party (see ``duties.py``), its report form (``forms.py``) and the plan's ten indicators
(``indicators.py``). Imports nothing but the plugin contract ``intranet.plugin`` and its shared
elements ``intranet.plugin.elements``.
"""

import os

from intranet.plugin import Link, Plugin

from .duties import DUTIES, KIND
from .forms import FORM
from .indicators import INDICATORS
from .permissions import GRANTS, Permission
from .seed import seed


def includeme(config):
    config.add_space_kind(KIND)
    config.add_duties(KIND.key, DUTIES)
    config.add_report_form(FORM)
    config.add_indicators(INDICATORS)
    config.add_criteria_set("intranet_ldtbxh:criteria/qd-06-2019.yaml")
    # The registry of models, clubs and counselling points: its permissions, its pages under
    # /p/ldtbxh/registry and their Vietnamese texts, what the audit trail calls what they record,
    # and the links to them (the menu, each commune).
    config.add_permissions(GRANTS)
    config.add_plugin_translations("intranet_ldtbxh:locale")
    config.include(".views")
    config.add_audit_labels(
        actions={
            "ldtbxh.unit.create": ("Thêm mô hình, câu lạc bộ, điểm tham vấn vào danh mục", "Registry unit added"),
            "ldtbxh.unit.update": ("Sửa thông tin mô hình, câu lạc bộ, điểm tham vấn", "Registry unit changed"),
            "ldtbxh.activity.create": (
                "Ghi nhật ký hoạt động của mô hình, câu lạc bộ, điểm tham vấn",
                "Registry activity recorded",
            ),
        },
        objects={
            "ldtbxh_unit": ("Mô hình, câu lạc bộ, điểm tham vấn", "Registry unit"),
            "ldtbxh_unit_activity": ("Hoạt động của mô hình, câu lạc bộ, điểm tham vấn", "Registry activity"),
        },
    )
    config.add_link(
        Link("ldtbxh.registry", "Mô hình, câu lạc bộ", "Models and clubs", permission=Permission.REGISTRY_VIEW)
    )
    config.add_link(
        Link(
            "ldtbxh.registry",
            "Mô hình, câu lạc bộ và điểm tham vấn",
            "Models, clubs and counselling points",
            permission=Permission.REGISTRY_VIEW,
            place="space",
            space_param="commune",
            space_categories=("commune",),
        )
    )


def seed_registry(dbsession, *, demo: bool = False) -> int:
    """The plan's units (always) and their 2017 demo activities (with ``demo``): ``seed.py``."""
    return seed(dbsession, demo=demo)


plugin = Plugin(
    key="ldtbxh",
    title="Phòng Lao động – Thương binh và Xã hội",
    title_en="Labour, Invalids and Social Affairs Office",
    description=(
        "Nhiệm vụ của Phòng Lao động – Thương binh và Xã hội, cơ quan chủ trì Kế hoạch thực "
        "hiện Chương trình bảo vệ trẻ em huyện Đăk Tô năm 2017."
    ),
    includeme=includeme,
    migrations=os.path.join(os.path.dirname(__file__), "migrations"),
    seed=seed_registry,
)
