"""pshell setup: ``request.dbsession`` and the models at hand, inside a transaction."""

import transaction

from intranet import models


def setup(env):
    request = env["request"]
    request.tm = transaction.TransactionManager(explicit=True)
    request.tm.begin()
    env["tm"] = request.tm
    env["dbsession"] = request.dbsession
    env["models"] = models
