"""Views of konvergensi, split by screen: actions and evidence, indicators and readiness, plan."""
