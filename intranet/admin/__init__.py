"""Administration: users, plugins, and the audit trail."""


def includeme(config):
    pass
