"""The JSON API under /api/v1 (documented by /api/v1/openapi.json in a later step)."""


def includeme(config):
    pass
