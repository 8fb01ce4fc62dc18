"""Starts the simplejwt test server: migrates a fresh SQLite file, seeds a user, serves on a port.

Usage: SIMPLEJWT_DB=/tmp/x.sqlite3 /usr/bin/python3 serve.py PORT
Prints "READY" once it accepts requests.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402
from django.core.management import call_command  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.servers import basehttp  # noqa: E402

# The tests send bursts of 100 concurrent requests; the dev server's listen backlog is 10.
basehttp.WSGIServer.request_queue_size = 256

call_command("migrate", verbosity=0, interactive=False)
User.objects.create_user("ada", password="lovelace-1815")
port = sys.argv[1]
print("READY", flush=True)
call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, verbosity=0)
