"""Evaluation of spintrace against public benchmarks (PAN text alignment) and reference baselines.

Kept as a subpackage so that benchmark readers and scorers never become import-time costs of the
product itself.
"""
