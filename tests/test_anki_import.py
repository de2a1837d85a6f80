"""Anki's own importer accepts the export (runs where the optional `anki` package is installed,
e.g. with the bench extra; elsewhere test_cli checks the package's structure)."""

import pytest

from studyapp.core.anki_export import write_apkg
from studyapp.core.ingest import ingest
from tests.core.test_content import CONTENT, SEEDS

anki_collection = pytest.importorskip("anki.collection")


def test_anki_imports_the_package_and_updates_on_reimport(db, tmp_path):
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    ingest(db, SEEDS, CONTENT)
    package = tmp_path / "studyapp.apkg"
    notes = write_apkg(db, package)
    collection = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions()
    )
    collection.import_anki_package(request)
    assert collection.note_count() == collection.card_count() == notes
    collection.import_anki_package(request)
    assert collection.note_count() == notes  # same GUIDs: updated, not duplicated
    collection.close()
