"""In-app notices, e-mail (pyramid_mailer), report reminders and the notices of the workflows."""

from intranet.workflow import DocumentTransitioned


def _on_transition(event) -> None:
    # intranet.models imports this package for its models before the other domains' models, which
    # the services import: imported at the top, the services would find those half loaded.
    from intranet.notifications import services  # noqa: PLC0415 — intranet.models imports this package early

    services.transition_notices(event)


def includeme(config):
    config.add_subscriber(_on_transition, DocumentTransitioned)
