"""Training and cross-validation of the learned quotation decisions.

Used by ``newsan eval cv``, ``newsan eval align`` and ``scripts/train_quotes.py``;
never on the analysis path (it needs SciPy, which analysis does not).
"""
