"""The bundled sample modules (data only; see core/samples.py and samples/README.md)."""
