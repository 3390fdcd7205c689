"""Field encryption with rotating keys, and the blind index for encrypted identities."""

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from rightpath.core.fields import blind_index, decrypt, encrypt, key_id_of

NEW = "k2:bmV3LWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OWFiY2Q="
OLD = "k1:ZGV2LW9ubHktZmllbGQta2V5LTAxMjM0NTY3ODlhYmM="


def test_values_are_encrypted_with_the_newest_key_and_old_ones_stay_readable(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    old_value = encrypt("Arta Krasniqi")
    assert "Arta" not in old_value and key_id_of(old_value) == "k1"
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    new_value = encrypt("Arta Krasniqi")
    assert key_id_of(new_value) == "k2"
    assert decrypt(old_value) == decrypt(new_value) == "Arta Krasniqi"


def test_a_value_under_a_removed_key_is_refused_not_garbled(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    value = encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(ValueError):
        decrypt(value)


def test_bad_keys_are_a_configuration_error(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = ["k1:not-base64"]
    with pytest.raises(ImproperlyConfigured):
        encrypt("x")


def test_blind_index_matches_spelling_variants_and_scripts() -> None:
    assert blind_index("Đorđe Petrović", "1990-01-02") == blind_index("djordje petrovic", "1990-01-02")
    assert blind_index("Ђорђе Петровић", "1990-01-02") == blind_index("Djordje  Petrovic", "1990-01-02")
    assert blind_index("Đorđe Petrović", "1990-01-02") != blind_index("Đorđe Petrović", "1990-01-03")
