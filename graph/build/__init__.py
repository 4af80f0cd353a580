"""The build: seeds → graph → analysis → every output, and the one place that decides which graph a command reads."""
