"""Frappe-free unit tests. They import only modules that never import frappe; the integration suite
(`bench run-tests --app selfservice_portal`) covers everything that needs a site."""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
