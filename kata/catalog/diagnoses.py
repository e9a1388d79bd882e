"""Korean and Japanese for the diagnoses the tests write in English (tests/checks.py,
tests/layer_checks.py, the kata plugin's crash advice), translated when they are shown.

The tests stay English (they are the reference's spec, read by every reader of the code);
the screens translate their messages line by line from templates here.
"""
