"""Answer engines: they turn a question and retrieved passages into a cited draft.

`CLS_LLM` picks one in `get_engine`; each backend's dependencies load only when it is chosen.
"""
