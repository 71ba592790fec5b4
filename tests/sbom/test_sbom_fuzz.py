"""Whatever the bytes, the reader ends in an Sbom or an InputError, never another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopengine.errors import InputError
from coopengine.sbom import Sbom, read_sbom

VALID = Path(__file__).resolve().parents[1] / "data" / "sbom" / "valid"
REAL = VALID.parents[1] / "real"
FIXTURES = {p.name: p.read_bytes() for p in sorted(VALID.iterdir())}
# The readers added for real producers' files: SPDX 3 JSON-LD, CycloneDX 1.7, lenient tag-value.
FIXTURES.update({name: (REAL / name).read_bytes() for name in (
    "spdx-examples-software-example6-spdx3.0-example6-bin.json",
    "spdx-examples-software-example11-spdx3.0-sbom.spdx3.json",
    "trivy-npm-cyclonedx.json",
    "bom-shelter-xml2json-sbom.spdx",
    "syft-bitnami-mix-render-template-spdx-render-template.spdx",
)})


def _read(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"sbom{suffix}"
        path.write_bytes(data)
        try:
            assert isinstance(read_sbom(path), Sbom)
        except InputError as err:
            assert err.location.file == str(path)
            err.render()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(FIXTURES)), st.data())
def test_truncations_never_escape(name: str, data: st.DataObject) -> None:
    full = FIXTURES[name]
    cut = data.draw(st.integers(min_value=0, max_value=len(full)))
    _read(full[:cut], Path(name).suffix)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(FIXTURES)), st.data())
def test_byte_mutations_never_escape(name: str, data: st.DataObject) -> None:
    full = bytearray(FIXTURES[name])
    for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
        at = data.draw(st.integers(min_value=0, max_value=len(full) - 1))
        full[at] = data.draw(st.integers(min_value=0, max_value=255))
    _read(bytes(full), Path(name).suffix)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([".json", ".xml", ".spdx", ".yaml", ""]))
def test_random_bytes_never_escape(blob: bytes, suffix: str) -> None:
    _read(blob, suffix)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["{", "<", "SPDXVersion: SPDX-2.3\n", "spdxVersion: SPDX-2.3\n"]), st.text(max_size=500)
)
def test_random_text_after_a_plausible_start_never_escapes(start: str, rest: str) -> None:
    _read((start + rest).encode("utf-8", "surrogatepass"), "")
