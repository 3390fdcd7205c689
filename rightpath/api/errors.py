"""Errors as JSON with the right status code: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields = None
    if isinstance(exc, exceptions.ValidationError):
        message = str(exceptions.ValidationError.default_detail)
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
    else:
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
    code = getattr(exc, "default_code", "error")
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if fields is not None:
        body["error"]["fields"] = fields
    response.data = body
    if response.status_code == status.HTTP_200_OK:  # never report an error as success
        response.status_code = status.HTTP_400_BAD_REQUEST
    return response
