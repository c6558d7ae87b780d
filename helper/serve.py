"""Start the app's server with the guards of ``helper/server_guard.py`` in place from the first request.

    python -m helper.serve [streamlit options, e.g. --server.port=8501]

The same as ``streamlit run app.py``, except that the guards are installed before the server starts
(``streamlit run`` would install them only when the first session runs ``app.py``). Use it to run the
app anywhere: ``python3 tasks.py app`` does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import server_guard

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    server_guard.install()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
