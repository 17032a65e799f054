"""Text → findings. Knows nothing of RDF: findings are plain dataclasses (see findings.py)."""
