"""The data-protection officer's view of the audit log."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rightpath.access.views import guard

from . import selectors


@guard("audit.entry.list")
def entry_list(request: HttpRequest) -> HttpResponse:
    page = selectors.entry_list(actor=request.user, params=request.GET)
    return render(request, "audit/entry_list.html", page)
