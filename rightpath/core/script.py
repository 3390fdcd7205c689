"""Serbian Cyrillic ↔ Latin transliteration (one language, two scripts)."""

_CYR = "АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШабвгдђежзијклљмнњопрстћуфхцчџш"
_LAT = [
    "A", "B", "V", "G", "D", "Đ", "E", "Ž", "Z", "I", "J", "K", "L", "Lj", "M", "N", "Nj", "O", "P", "R", "S", "T", "Ć", "U", "F", "H", "C", "Č", "Dž", "Š",
    "a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n", "nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š",
]  # fmt: skip
CYR_TO_LAT = dict(zip(_CYR, _LAT, strict=True))
_LAT_DIGRAPHS = {"Lj": "Љ", "LJ": "Љ", "lj": "љ", "Nj": "Њ", "NJ": "Њ", "nj": "њ", "Dž": "Џ", "DŽ": "Џ", "dž": "џ"}
_LAT_SINGLE = {v: k for k, v in CYR_TO_LAT.items() if len(v) == 1}


def to_latin(text: str) -> str:
    """Serbian Cyrillic → Latin (standard one-to-one mapping)."""
    return "".join(CYR_TO_LAT.get(ch, ch) for ch in text)


def to_cyrillic(text: str) -> str:
    """Serbian Latin → Cyrillic (digraphs lj, nj, dž first)."""
    out = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _LAT_DIGRAPHS:
            out.append(_LAT_DIGRAPHS[pair])
            i += 2
            continue
        out.append(_LAT_SINGLE.get(text[i], text[i]))
        i += 1
    return "".join(out)
