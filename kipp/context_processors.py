from django.utils.functional import SimpleLazyObject

from kipp.navigation import items_for


def navigation(request):
    # lazy: read (with the user) only by a page that shows the menu; the error pages give their own
    user = getattr(request, "user", None)
    return {"nav_items": SimpleLazyObject(lambda: items_for(user) if user is not None else [])}
