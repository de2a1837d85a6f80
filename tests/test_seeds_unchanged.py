"""seeds/ holds the original documents byte for byte; cleaning happens only at ingest."""

import hashlib
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

ORIGINALS = {
    "000_663ec407a5b4b6cf.txt": "cae6b62291c4da3a42afc4984e121400577ae34ac841bf9ed53bc37c4cc00098",
    "001_cad34d21490f7c9b.txt": "8517343cc9548a89087bd2b47f546360b0ad8f46ffcbf3eb29594d4801516fb0",
    "002_e975276acedf4672.txt": "b83473520e6a76b927301517cc32303813813a990f0554590e8778b83294e933",
    "003_3bbec9a6bccd6ca9.txt": "756a8a8f167e16cf6d0e232114b0e81ce7244367dba457ac91e9219ff2be9ee2",
    "004_f853192aec50e05e.txt": "c002b285b07cf535b3c17ff2d5627c583784da4293ca72175c667b83ee537708",
}


def test_seeds_are_the_originals_byte_for_byte():
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.iterdir()}
    assert found == ORIGINALS
