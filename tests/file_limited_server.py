"""`python -m tests.file_limited_server serve ...`: `aicos` under a lower open-file limit
(`AICOS_TEST_OPEN_FILES`), as `ulimit -n` would set it, for tests of what a flood of sockets does."""

import os
import resource
import sys

from src.cli import main

if __name__ == "__main__":
    limit = int(os.environ["AICOS_TEST_OPEN_FILES"])
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    sys.exit(main())
