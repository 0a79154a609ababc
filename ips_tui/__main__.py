"""Allow ``python -m ips_tui``."""

from ips_tui.cli import main

main()
