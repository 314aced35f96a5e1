"""Going offline in a browser test of offline scoring: the context's offline emulation, and every request of the
context (the service worker's too) refused while it lasts, so that a worker started again in between cannot reach
the server either."""


def _refuse(route):
    route.abort("internetdisconnected")


def go_offline(context):
    context.set_offline(True)
    context.route("**/*", _refuse)


def go_online(context):
    context.unroute("**/*", _refuse)
    context.set_offline(False)
