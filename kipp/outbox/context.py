"""A mail's context as JSON (Notification.context), and back at send time.

The caller's context may hold plain values (str, int, float, bool, None, lists, dicts) and:
- model instances (or `ref("app.model", id)`): stored as {"$model": "app.model", "pk": ...}, loaded again when the
  mail is rendered (the template reads the object as it is at send time: its names, titles, numbers);
- datetimes, dates and Decimals: stored as ISO text, given back as the same type;
- `label(instance, "field")`: the label of a choice field's value *now* (the status an entry had when it was
  returned), rendered in the recipient's language;
- `wita(datetime)`: a moment shown as "1 Desember 2026, 09:30 WITA" in the recipient's language.
Anything else (a callable, a queryset) is refused when the mail is queued, not when the worker meets it."""

import datetime
import decimal

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise


class MissingObject(LookupError):
    """An object the mail is about was deleted before the mail was rendered."""


class Label:
    """The display label of a choice field's value, translated when the mail renders."""

    def __init__(self, model_label, field, value):
        self.model_label, self.field, self.value = model_label, field, value

    def __str__(self):
        field = apps.get_model(self.model_label)._meta.get_field(self.field)
        return str(dict(field.flatchoices).get(self.value, self.value or ""))

    def __bool__(self):
        return bool(self.value)


class Wita:
    """A moment shown in WITA (the portal's time zone), formatted when the mail renders."""

    def __init__(self, value):
        self.value = value

    def __str__(self):
        return date_format(timezone.localtime(self.value), "j F Y, H:i") + " WITA"

    def __bool__(self):
        return self.value is not None


def ref(model_label, pk):
    """A model instance by its label and id, without loading it ("kipp.user", 12): loaded when the mail renders."""
    return {"$model": model_label.lower(), "pk": pk}


def label(instance, field):
    return Label(instance._meta.label_lower, field, getattr(instance, field))


def wita(value):
    return Wita(value)


def to_json(value):
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, models.Model):
        if value.pk is None:
            raise TypeError(f"an unsaved {value._meta.label} cannot be in a queued mail's context")
        return {"$model": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, Label):
        return {"$label": value.model_label, "field": value.field, "value": value.value}
    if isinstance(value, Wita):
        return {"$wita": value.value.isoformat()}
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    raise TypeError(f"{type(value).__name__} cannot be in a queued mail's context (give ids and plain values)")


def _references(value, found):
    """Collect {model label: {pk, ...}} of the model references in a stored context."""
    if isinstance(value, list):
        for v in value:
            _references(v, found)
    elif isinstance(value, dict):
        if "$model" in value:
            found.setdefault(value["$model"], set()).add(value["pk"])
        else:
            for v in value.values():
                _references(v, found)
    return found


def preload(contexts):
    """{(model label, str(pk)): instance} of every model reference in these stored contexts, one query per model
    (a batch of a hundred outcome mails names one announcement, a hundred rows and a hundred people: three queries
    instead of three hundred). A deleted object is simply absent (from_json then raises MissingObject)."""
    found = {}
    for context in contexts:
        _references(context, found)
    objects = {}
    for model_label, pks in found.items():
        model = apps.get_model(model_label)
        for pk, obj in model._base_manager.in_bulk(list(pks)).items():
            objects[(model_label, str(pk))] = obj
    return objects


def _load(value, objects):
    obj = objects.get((value["$model"], str(value["pk"]))) if objects else None
    if obj is None:
        obj = apps.get_model(value["$model"])._base_manager.filter(pk=value["pk"]).first()
    if obj is None:
        raise MissingObject(f"{value['$model']} {value['pk']} no longer exists")
    return obj


def from_json(value, objects=None):
    """The context as the template reads it; `objects` (preload()) holds instances already loaded."""
    if isinstance(value, list):
        return [from_json(v, objects) for v in value]
    if not isinstance(value, dict):
        return value
    if "$model" in value:
        return _load(value, objects)
    if "$label" in value:
        return Label(value["$label"], value["field"], value["value"])
    if "$wita" in value:
        return Wita(datetime.datetime.fromisoformat(value["$wita"]))
    if "$datetime" in value:
        return datetime.datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return datetime.date.fromisoformat(value["$date"])
    if "$decimal" in value:
        return decimal.Decimal(value["$decimal"])
    return {k: from_json(v, objects) for k, v in value.items()}
