import sys
from pathlib import Path

# The evaluation tests compare with the CLI's own logic.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python" / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
