"""Open a data folder as the app does at start (recovering if need be), or restore a backup
into it; for the kill tests, which stop this process at random instants.

python tests/helpers/recover_or_restore.py open DATA_DIR
python tests/helpers/recover_or_restore.py restore DATA_DIR BACKUP
"""

import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from studyapp.core.backup import backups_dir, restore
from studyapp.core.recovery import open_or_recover

mode, data_dir = sys.argv[1], Path(sys.argv[2])
path = data_dir / "studyapp.sqlite3"
if mode == "open":
    db, message = open_or_recover(path, backups_dir(data_dir), datetime.now())
    db.close()
    print(message or "opened", flush=True)
else:
    restore(Path(sys.argv[3]), path, backups_dir(data_dir), datetime.now())
    print("restored", flush=True)
