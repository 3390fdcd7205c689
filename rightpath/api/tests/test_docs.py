"""The OpenAPI schema and its documentation page: public, vendored assets, no inline script."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from drf_spectacular.validation import validate_schema


def test_schema_is_valid_openapi_with_the_endpoints_and_their_errors(client: Client, db: Any) -> None:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/me/", "/api/v1/organisations/", "/api/v1/organisations/{code}/"} <= set(schema["paths"])
    detail = schema["paths"]["/api/v1/organisations/{code}/"]["get"]["responses"]
    for status in ("401", "403", "404"):
        assert detail[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["securitySchemes"]["organisationToken"]["scheme"] == "bearer"
    assert "fields" in schema["components"]["schemas"]["ErrorDetail"]["properties"]


def test_schema_as_yaml_by_default(client: Client, db: Any) -> None:
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_docs_page_has_no_inline_script_or_style_and_only_local_assets(client: Client, db: Any) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 3
    for attrs, body in scripts:
        assert body.strip() == ""
        assert re.search(r'\ssrc="[^"]+"', attrs)
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<[^>]+\son\w+=", html)  # no inline event handlers either
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls
    for url in urls:
        assert url.startswith(("/static/", "/api/v1/")), url
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in urls
    assert "/api/v1/docs/?script=" in urls


def test_docs_page_keeps_scripts_strict_and_relaxes_only_its_styles(client: Client, db: Any) -> None:
    csp = client.get("/api/v1/docs/")["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in directives["style-src"]
    assert "'unsafe-eval'" not in csp
    other = client.get("/api/v1/schema/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in other


def test_docs_start_up_script_is_served_from_its_own_url(client: Client, db: Any) -> None:
    response = client.get("/api/v1/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert "SwaggerUIBundle(" in body
    assert '"/api/v1/schema/"' in body
    assert '"validatorUrl": null' in body  # the schema address is never sent to validator.swagger.io


def test_sidecar_assets_are_served_locally(client: Client, db: Any) -> None:
    from django.contrib.staticfiles import finders

    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}")
    assert finders.find("api/swagger-ui-page.css")
