import os

# No third-party pydantic plugins are used; skipping their discovery saves start-up time.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from .cli import main  # noqa: E402

raise SystemExit(main())
