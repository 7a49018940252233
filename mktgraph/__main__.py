"""Entry point for ``python -m mktgraph``."""

from mktgraph.cli import main

if __name__ == "__main__":
    main()
