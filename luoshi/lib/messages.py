from django import forms
from django.contrib import messages
from django.http import HttpRequest


def flash_form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """For small inline forms that post and redirect back: show what was wrong at the top of the page."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:  # ErrorList iterates as plain strings
            error = str(error)
            messages.error(request, f"{label}：{error}" if label else error)
