"""WHO Child Growth Standards z-scores, vectorised (pure numpy/pandas, no Django)."""
