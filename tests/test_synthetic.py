"""Synthetic data never pass for real: the delivery's manifest marks them (sources.manifest).

The notes themselves (a marker on every page and in the metadata; none without the manifest)
are checked on the example's reports in tests/test_status_note.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tryghedlib import example
from tryghedlib.errors import ConfigError
from tryghedlib.run import export
from tryghedlib.sources import manifest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example"


def test_the_example_is_marked_by_the_manifest_the_generator_writes():
    assert manifest.is_synthetic(EXAMPLE)
    assert manifest.manifest_path(EXAMPLE).read_text(encoding="utf-8") == example.manifest()


def test_the_marker_travels_with_the_delivery_not_the_folders_name(tmp_path):
    copy = tmp_path / "2022"
    shutil.copytree(EXAMPLE / "geography", copy / "geography")
    assert not manifest.is_synthetic(copy)           # a real delivery: no manifest
    shutil.copy(manifest.manifest_path(EXAMPLE), copy)
    assert manifest.is_synthetic(copy)               # any folder name, still marked
    (copy / manifest.MANIFEST).write_text("synthetic: false\n")
    assert not manifest.is_synthetic(copy)


@pytest.mark.parametrize("text, expected", [
    ("synthetic: 1\n", "nøgle 'synthetic': forventet true eller false (fundet 1)"),
    ("synthetic: true\nsource: x\n", "ukendt nøgle source"),
    ("- synthetic\n", "forventet nøgler med værdier (en mapping)"),
    ("synthetic: [\n", "ikke gyldig YAML"),
])
def test_a_broken_manifest_is_refused_with_file_and_key(tmp_path, text, expected):
    (tmp_path / manifest.MANIFEST).write_text(text)
    with pytest.raises(ConfigError) as error:
        manifest.is_synthetic(tmp_path)
    assert str(tmp_path / manifest.MANIFEST) in str(error.value)
    assert expected in str(error.value)


def test_the_exported_html_carries_the_marker_only_when_given():
    import nbformat

    def notebook(marker):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output(
            "display_data", data={"text/html": "<p>Notat</p>"},
            metadata={"tryghed": {"title": "Status", "partnership_name": "P", "marker": marker}})]
        nb.cells = [cell]
        return nb

    marker = "SYNTETISKE DATA – ikke til offentliggørelse"
    marked, plain = export.export_html(notebook(marker)), export.export_html(notebook(""))
    assert f"<title>{marker}: Status</title>" in marked
    assert f'<meta content="{marker}" name="keywords"/>' in marked
    assert f'<p class="syntetisk" role="note">{marker}</p>' in marked
    assert f'@page {{ @top-left {{ content: "{marker}";' in marked   # every page's header
    assert "SYNTETISKE" not in plain and "<title>Status</title>" in plain
