"""Build the POST an admin change form would send, from the page as served."""

import datetime

from django.db.models.fields.files import FieldFile


def _put(data, name, value):
    if value is None or isinstance(value, FieldFile):
        return  # a browser never sends back a stored file
    if isinstance(value, datetime.datetime):
        data[f"{name}_0"] = value.strftime("%Y-%m-%d")
        data[f"{name}_1"] = value.strftime("%H:%M:%S")
    elif isinstance(value, (list, tuple)):
        data[name] = [str(item) for item in value]
    elif isinstance(value, bool):
        if value:
            data[name] = "on"
    else:
        data[name] = value


def _form_values(form, data):
    for name in form.fields:
        _put(data, form.add_prefix(name), form[name].value())


def change_form_data(response):
    """Every field of the served change form with its current value."""
    data = {}
    _form_values(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _form_values(formset.management_form, data)
        for form in formset.forms:
            _form_values(form, data)
    return data
