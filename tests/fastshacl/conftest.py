"""Makes the cases module importable by the tests beside it (and by tests/integration)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
