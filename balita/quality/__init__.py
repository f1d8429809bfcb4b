"""The data-quality report (validitas data): measures per posyandu, kelurahan, puskesmas and the
city after the WHO/UNICEF recommendations for anthropometric data quality (2019) and the WHO
Anthro Survey Analyser, a score per area with its reasons, and the fix list.

load.py (SQL over balita's tables) → findings.py (one problem of one record) → measures.py (the
additive sums and what follows from them) → score.py (points and reasons) → report.py (what pages,
exports and the PDF pack read); marks.py writes "sudah diperiksa, benar".
"""
