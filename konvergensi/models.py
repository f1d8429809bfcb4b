"""Models of the konvergensi app."""
