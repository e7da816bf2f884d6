"""In-app notices, e-mail (pyramid_mailer) and report reminders."""


def includeme(config):
    pass
