"""A file the browser saves: the response with its name, in UTF-8 (Chinese names survive every browser)."""

from urllib.parse import quote

from django.http import HttpResponse


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
