"""gunicorn's settings; `gunicorn wsgi:app` reads this file from the working directory.

Options given on the command line (or in GUNICORN_CMD_ARGS) override these.
"""

# A worker silent this long is killed and its request answered 502 by the proxy. It must
# outlast the longest request the app allows itself: a PDF report export, stopped after
# TRACKER_REPORT_TIMEOUT_SECONDS (20) plus gathering its data. Raise both together.
timeout = 60
