from django import forms
from django.utils.translation import gettext_lazy as _

from kipp.outbox.enums import NotificationKind, NotificationState


class OutboxFilterForm(forms.Form):
    """The outbox page's filters (a GET form: it works without JavaScript)."""

    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), *NotificationState.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("Jenis"),
        required=False,
        choices=[("", _("Semua jenis")), *NotificationKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    about = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)

    def filtered(self, queryset):
        from kipp.outbox.queries import filter_about

        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["state"]:
            queryset = queryset.filter(state=data["state"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["about"]:
            queryset = filter_about(queryset, data["about"])
        return queryset

    def query(self, **changes):
        """The filters as a query string (for the pager and the way back after a resend)."""
        from django.utils.http import urlencode

        values = {k: v for k, v in (self.cleaned_data if self.is_valid() else {}).items() if v}
        values.update(changes)
        return urlencode(values)
