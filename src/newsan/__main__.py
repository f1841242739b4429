from newsan.cli import cli

cli(prog_name="newsan")
