"""ips-tui: a terminal caseload manager for IPS (Individual Placement and Support) employment specialists."""

__version__ = "0.1.0"
