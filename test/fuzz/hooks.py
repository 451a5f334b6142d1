"""schemathesis hooks for the fuzzing gate (test/fuzz/run.sh sets SCHEMATHESIS_HOOKS to this file).

schemathesis 4 percent-decodes a generated path parameter before it percent-encodes it
(`quote_all`: `unquote`, then `quote`), so a generated string that happens to hold "%15" is sent
as the byte 0x15. The API rightly refuses that (a control character, 400), while the fuzzer
believes it sent the schema-valid text "%15" and reports ST202 (positive_data_acceptance). Seen
once in a CI run: GET /api/listings/{id}/prices with an id holding "%15". Path values holding a
percent escape are left out of generation; every other value, valid or not, is still sent.
"""

import re

import schemathesis

_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


@schemathesis.hook
def filter_path_parameters(ctx, path_parameters):
    return not any(isinstance(value, str) and _PERCENT_ESCAPE.search(value) for value in (path_parameters or {}).values())
