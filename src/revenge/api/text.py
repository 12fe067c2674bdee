"""Text patterns shared by API models, spelled so every regex dialect reads them alike.

`\\s` differs between Python, the Rust engine pydantic validates with and the ECMA dialect
OpenAPI clients use, so blank characters are listed: controls, and Python's whitespace.
"""

BLANK = r"\x00-\x20\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Somewhere in the text, one character that is neither blank nor a control.
NOT_BLANK = rf"[^{BLANK}]"
