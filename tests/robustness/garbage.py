"""Hypothesis strategies for hostile input: what a bot, a broken client or an attacker sends.

Text is any Unicode that UTF-8 can carry (no lone surrogates: no browser can send them),
plus NUL bytes, which PostgreSQL refuses in text, strings of 10,000 characters, numbers
where text belongs, and lists (a repeated key: `?postcode=1&postcode=2`).
"""

from hypothesis import strategies as st

TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
WITH_NUL = st.builds(lambda before, after: f"{before}\x00{after}", TEXT, TEXT)
LONG = st.sampled_from(["a", "é", "7", "€", "1011AB ", "<b>", "\u202e", "😀"]).map(
    lambda piece: (piece * 10_000)[:10_000]
)
NUMBER = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
)
NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e309",
        "NaN",
        "null",
        "None",
        "true",
        "on",
        "[]",
        "{}",
        "%00",
        "\\x00",
        "1011AB",
        "1011 ab",
        "1011",
        "0000AA",
        "9999ZZ",
        "bewoner@example.test",
        "a@b",
        "@",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\r\nBcc: spam@example.test",
        "../../../etc/passwd",
        "\ufeff",
        "\u200b",
        "ﬀ",
        "ß",
        "١٠١١",  # Arabic-Indic digits
        "𝟏𝟎𝟏𝟏",  # mathematical digits
    ]
)
SCALAR = st.one_of(TEXT, WITH_NUL, LONG, NUMBER, NASTY)
# A list becomes a repeated key in the query string or the form body.
VALUE = st.one_of(SCALAR, SCALAR, st.lists(SCALAR, min_size=2, max_size=3))
KEY = st.one_of(st.text(st.characters(codec="utf-8"), min_size=1, max_size=12), NASTY)


def _apply(valid: dict, changes: dict, extra: dict) -> dict:
    data = {**extra, **valid}
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)  # a missing field
        else:
            data[name] = value
    return data


def mutated(valid: dict) -> st.SearchStrategy[dict]:
    """Valid data with some fields replaced by garbage or left out, plus unknown fields.

    Starting from valid data takes the input past the first required field, into the
    deeper checks (a password validator, a database lookup, a clean method).
    """
    names = sorted(valid)
    changes = st.dictionaries(
        st.sampled_from(names), st.one_of(st.none(), VALUE), min_size=1, max_size=len(names)
    )
    return st.builds(_apply, st.just(valid), changes, st.dictionaries(KEY, VALUE, max_size=2))


def any_data(valid: dict) -> st.SearchStrategy[dict]:
    """Mostly `mutated(valid)`, sometimes only garbage under the form's field names."""
    names = sorted(valid) or ["q"]
    return st.one_of(
        mutated(valid) if valid else st.nothing(),
        st.dictionaries(st.one_of(st.sampled_from(names), KEY), VALUE, max_size=6),
    )


# Tokens in links: random text, NUL bytes, very long ones, and look-alikes of the real thing.
TOKEN = st.one_of(
    TEXT.filter(bool),
    WITH_NUL,
    LONG,
    NASTY.filter(bool),
    st.from_regex(r"[A-Za-z0-9_-]{22,64}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9_-]{5,20}:[A-Za-z0-9_-]{4,8}:[A-Za-z0-9_-]{10,43}", fullmatch=True),
)
