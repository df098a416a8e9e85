"""The composition root: the CLI, the embedded runtime and what ties every service together."""
