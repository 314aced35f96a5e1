from django.conf import settings


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the address a trusted reverse proxy put in X-Forwarded-For."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


class ClientIPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_ip(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """The database went away during a request (server stopped or restarted, connection cut): answer 503 with a
    clear "try again" page (templates/503.html, Indonesian and English) and Retry-After, instead of a 500.
    The transaction of the request was not committed, so nothing is half-written; the next request reconnects
    (CONN_HEALTH_CHECKS). Rendered without context processors: they may need the database."""

    RETRY_AFTER_SECONDS = 10

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError, connections
        from django.http import HttpResponse
        from django.template import loader

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
