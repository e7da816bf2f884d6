"""In-app notices, e-mail (pyramid_mailer), report reminders and the notices of the workflows."""


def _on_transition(event) -> None:
    from intranet.notifications.services import transition_notices  # services import the models: at run time

    transition_notices(event)


def includeme(config):
    # Imported here, not above: intranet.models imports this package (for its models).
    from intranet.workflow import DocumentTransitioned

    config.add_subscriber(_on_transition, DocumentTransitioned)
