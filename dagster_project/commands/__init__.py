"""CLI subcommands beyond the core ones in cli.py: one module per command, each with `register(sub, common)`."""
