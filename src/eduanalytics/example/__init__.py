"""The seeded generator of the example regions' synthetic input files.

Everything it writes is labelled 示例数据 / SYNTHETIC. Nothing else in the package
imports it except the command line (``eduanalytics generate``).
"""
