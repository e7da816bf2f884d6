"""The plugin's own translation domain: its messages live in its catalogue (``locale/``), not the core's."""

from pyramid.i18n import TranslationStringFactory

DOMAIN = "intranet_ldtbxh"

_ = TranslationStringFactory(DOMAIN)
