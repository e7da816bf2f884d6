"""The coordinator's district pages (Phòng LĐTBXH)."""


def includeme(config):
    pass
