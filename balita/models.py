"""Models of the balita app."""
