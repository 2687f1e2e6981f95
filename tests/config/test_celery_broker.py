"""The embedded broker keeps every folder it writes under VAR_DIR, none in the working directory."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_it_keeps_the_file_system_brokers_folders_under_var(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    env["VAR_DIR"] = str(tmp_path / "var")
    env["PYTHONPATH"] = str(settings.BASE_DIR)
    code = "import json, config.settings.base as b; print(json.dumps(b.CELERY_BROKER_TRANSPORT_OPTIONS))"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                         check=True).stdout
    options = json.loads(out)
    folders = {k: v for k, v in options.items() if k.endswith(("_folder", "_folder_in", "_folder_out"))}
    assert "control_folder" in folders
    for path in folders.values():
        assert Path(path).is_relative_to(tmp_path / "var"), path
