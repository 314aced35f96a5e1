"""`python -m bench` (what `make bench` runs): see bench.cli."""

from bench.cli import main

if __name__ == "__main__":
    main()
