"""Instrument files: parsing, validation errors with line and field (YAML and JSON), the command
line, the web upload, and version isolation."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from rightpath.assessments.instruments import InstrumentFileError, read_definition
from rightpath.assessments.models import Assessment, ImmutableError, Instrument
from rightpath.assessments.services import instrument_load
from rightpath.audit.models import AuditEntry

from .conftest import SMALL

DEMO = Path(__file__).resolve().parents[1] / "instruments" / "demo_needs.yaml"


def errors_of(text: str, filename: str = "x.yaml") -> list[str]:
    with pytest.raises(InstrumentFileError) as exc:
        read_definition(text, filename)
    return [str(e) for e in exc.value.errors]


def test_the_demonstration_instrument_is_valid_labelled_and_covers_every_life_domain_in_seven_languages() -> None:
    from rightpath.cases.vocab import LifeDomain

    definition, _sha = read_definition(DEMO.read_text("utf-8"), DEMO.name)
    assert definition["demonstration"] is True and definition["kind"] == "spj"
    assert "demonstration" in definition["name"]["en"].lower()
    assert {d["life_domain"] for d in definition["domains"]} == set(LifeDomain.values)
    languages = {"en", "sq", "bs", "hr", "mk", "sr", "sr-latn"}
    for domain in definition["domains"]:
        assert set(domain["name"]) >= languages, domain["key"]
        for item in domain["items"]:
            assert set(item["name"]) >= languages, item["key"]


def test_a_wrong_scale_reference_names_its_line_and_field() -> None:
    text = SMALL.replace("scale: yn, name: {en: Supportive", "scale: yesno, name: {en: Supportive")
    errors = errors_of(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "yesno" in row)
    assert errors == [f"line {line}, domains[0].items[1].scale: unknown scale yesno; the scales are: yn."]


def test_a_scale_with_errors_is_reported_once_where_it_is_defined() -> None:
    text = SMALL.replace(
        '      - {value: "partly", label: {en: Partly}, present: true}\n      - {value: "yes", label: {en: "Yes"}, present: true}\n',
        "",
    )
    errors = errors_of(text)
    assert len(errors) == 1 and "scales.yn.options: must be a list of at least two options." in errors[0]


def test_a_missing_field_is_reported_on_the_line_of_the_record_it_belongs_to() -> None:
    text = SMALL.replace(
        "      - {key: A1, kind: need, scale: yn, name: {en: Needs a home}}\n",
        "      - {key: A1, kind: need, scale: yn}\n",
    )
    errors = errors_of(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "key: A1" in row)
    assert f"line {line}, domains[0].items[0].name: this field is required." in errors


def test_every_problem_is_listed_at_once() -> None:
    text = SMALL.replace("kind: spj", "kind: actuarial").replace("life_domain: housing", "life_domain: garden")
    text = text.replace("name: {en: Home}", "name: {de: Heim}")
    errors = errors_of(text)
    assert any(e.startswith("line 4, kind:") for e in errors)
    assert any("domains[0].life_domain: unknown life domain" in e for e in errors)
    assert any("domains[0].name.de: unknown language" in e for e in errors)
    assert any("domains[0].name: an English text (en) is required." in e for e in errors)


def test_duplicate_keys_and_unknown_fields_are_refused() -> None:
    assert errors_of(SMALL.replace("kind: spj\n", "kind: spj\nkind: spj\n")) == [
        "line 5, kind: this key appears twice."
    ]
    errors = errors_of(SMALL.replace("kind: spj\n", "kind: spj\ncolour: blue\n"))
    assert len(errors) == 1 and errors[0].startswith("line 5, colour: unknown field; the fields here are: format,")


def test_yaml_syntax_errors_name_the_line() -> None:
    errors = errors_of("key: a\nname: [unclosed\nversion: 1\n")
    assert errors[0].startswith("line ") and "not valid YAML" in errors[0]


def test_json_errors_name_the_line_and_field_too() -> None:
    import yaml

    data = yaml.safe_load(SMALL)
    data["domains"][0]["items"][1]["kind"] = "strength"
    text = json.dumps(data, indent=2)
    errors = errors_of(text, "small.json")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"strength"' in row)
    assert errors == [f"line {line}, domains[0].items[1].kind: must be risk, protective or need."]


def test_json_syntax_errors_name_the_line() -> None:
    errors = errors_of('{\n  "key": "a",\n  "version": \n}', "bad.json")
    assert errors[0].startswith("line 4: not valid JSON")


def test_a_rule_based_instrument_needs_scores_and_bands() -> None:
    text = SMALL.replace("kind: spj", "kind: rule_based")
    errors = errors_of(text)
    assert any("scales.yn.options[0].score: a rule-based instrument needs" in e for e in errors)
    assert any(e.endswith("screening: this field is required.") or "screening: a rule-based" in e for e in errors)


def test_command_loads_a_file_and_a_second_run_changes_nothing(db: Any, tmp_path: Path) -> None:
    out = StringIO()
    call_command("load_instrument", str(DEMO), stdout=out)
    assert "Loaded demo-needs version 1.0" in out.getvalue()
    out = StringIO()
    call_command("load_instrument", str(DEMO), stdout=out)
    assert "nothing changed" in out.getvalue()
    assert Instrument.objects.count() == 1
    assert AuditEntry.objects.filter(event="assessments.instrument_loaded").count() == 1


def test_command_refuses_a_bad_file_prints_line_and_field_and_exits_non_zero(db: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace("scale: yn, name: {en: Needs", "scale: nope, name: {en: Needs"), "utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_instrument", str(bad), stderr=err)
    assert "bad.yaml: line 17, domains[0].items[0].scale: unknown scale nope" in err.getvalue()
    assert Instrument.objects.count() == 0
    assert AuditEntry.objects.filter(event="assessments.instrument_refused").exists()


def test_command_exits_non_zero_from_the_shell(db: Any, tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "bad.json"
    bad.write_text('{"key": 1}', "utf-8")
    manage = Path(__file__).resolve().parents[3] / "manage.py"
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(manage), "load_instrument", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "line and field" in " ".join(result.stdout.split())


def test_a_changed_file_under_a_loaded_version_is_refused(db: Any) -> None:
    instrument_load(actor=None, text=SMALL, filename="small.yaml")
    with pytest.raises(InstrumentFileError) as exc:
        instrument_load(actor=None, text=SMALL.replace("Small instrument", "Smaller"), filename="small.yaml")
    assert "give this definition a new version" in str(exc.value)


def test_loading_a_new_version_never_changes_assessments_on_the_old_one(
    small: Instrument, case: Any, assessor: Any, make_assessment: Any
) -> None:
    old = make_assessment(case, small, assessor, signed=True)
    v2 = instrument_load(
        actor=None,
        text=SMALL.replace('version: "1"', 'version: "2"').replace("Needs a home", "Has no stable home"),
        filename="small.yaml",
    ).instrument
    old.refresh_from_db()
    assert old.instrument_id == small.pk and v2.pk != small.pk
    assert (
        Assessment.objects.get(pk=old.pk).instrument.definition["domains"][0]["items"][0]["name"]["en"]
        == "Needs a home"
    )
    assert [a.instrument.version_label for a in Assessment.objects.all()] == ["1"]


def test_an_instrument_version_cannot_be_changed_once_loaded(small: Instrument) -> None:
    small.definition["name"]["en"] = "Changed"
    with pytest.raises(ImmutableError):
        small.save()


def test_platform_and_organisation_administrators_upload_through_the_web_with_the_same_errors(
    client_for: Any, make_user: Any
) -> None:
    admin = client_for(make_user("org_admin"))
    bad = SMALL.replace("scale: yn, name: {en: Needs", "scale: nope, name: {en: Needs")
    response = admin.post("/assessments/instruments/load/", {"file": SimpleUploadedFile("bad.yaml", bad.encode())})
    assert response.status_code == 200
    assert [str(e) for e in response.context["file_errors"]] == [
        "line 17, domains[0].items[0].scale: unknown scale nope; the scales are: yn."
    ]
    assert Instrument.objects.count() == 0
    platform = client_for(make_user("platform_admin"))
    response = platform.post("/assessments/instruments/load/", {"file": SimpleUploadedFile("s.yaml", SMALL.encode())})
    assert response.status_code == 302 and Instrument.objects.get().key == "small"


def test_a_case_worker_may_not_upload_instruments_and_the_refusal_is_audited(client_for: Any, make_user: Any) -> None:
    user = make_user("assessor")
    response = client_for(user).post(
        "/assessments/instruments/load/", {"file": SimpleUploadedFile("s.yaml", SMALL.encode())}
    )
    assert response.status_code == 403
    assert AuditEntry.objects.filter(event="access.denied", actor_id=user.pk).exists()
    assert client_for(user).get("/assessments/instruments/").status_code == 200
