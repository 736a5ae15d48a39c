"""eduanalytics: analysis of adult education-upgrading programmes.

Clean census and enrolment data, compute participation rates, years-of-schooling
projections and target gaps, and build the year-end report.
"""

__version__ = "0.1.0"
