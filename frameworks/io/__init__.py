"""Framework files: parse and validate YAML or JSON into a plain dict, and dump a version back.

- `limits`: the caps and key lists, and `FrameworkFileError`;
- `load`: bytes → Python data (safe YAML, strict JSON) → `parse_framework_file`;
- `schema`: data → the canonical dict, every problem named by place;
- `dump`: a version → the canonical dict → YAML or JSON text.
"""

from frameworks.io.dump import (
    canonical_weight,
    dump_data,
    dump_version,
    export_filename,
    version_to_dict,
)
from frameworks.io.limits import (
    KINDS,
    MAX_ERROR_CHARS,
    MAX_ERRORS,
    POLARITIES,
    QUOTE_CHARS,
    REGISTERS,
    FrameworkFileError,
    shorten,
    show,
)
from frameworks.io.load import guess_format, parse_framework_file
from frameworks.io.schema import validate_framework_data

__all__ = [
    "KINDS",
    "MAX_ERRORS",
    "MAX_ERROR_CHARS",
    "POLARITIES",
    "QUOTE_CHARS",
    "REGISTERS",
    "FrameworkFileError",
    "canonical_weight",
    "dump_data",
    "dump_version",
    "export_filename",
    "guess_format",
    "parse_framework_file",
    "shorten",
    "show",
    "validate_framework_data",
    "version_to_dict",
]
