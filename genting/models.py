"""Models of the genting app."""
