"""Going offline in a browser test of offline scoring: the context's offline emulation, and every request of the
context (the service worker's too) refused while it lasts, so that a worker started again in between cannot reach
the server either."""


def _refuse(route):
    route.abort("internetdisconnected")


# Background Sync is not covered by the context's offline emulation: Chromium sees the machine online and fires a
# registered sync at once, whose service-worker fetch can reach the live server while the test says "offline" (it
# happened now and then). Pages opened while offline get no `registration.sync`, so they send on the `online` event
# and on page open, which the tests check; Background Sync itself is not tested (docs/judging.md).
NO_BACKGROUND_SYNC = """
if (self.ServiceWorkerRegistration) {
  Object.defineProperty(ServiceWorkerRegistration.prototype, "sync", { get() { return undefined; } });
}
"""


def go_offline(context):
    context.add_init_script(NO_BACKGROUND_SYNC)
    context.set_offline(True)
    context.route("**/*", _refuse)


def go_online(context):
    context.unroute("**/*", _refuse)
    context.set_offline(False)
