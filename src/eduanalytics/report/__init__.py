"""The report: analyses the notebooks call, the papermill report builder, briefing export.

``from eduanalytics.report import run_report`` and ``from eduanalytics.report import
analyses`` work as shown in the README; modules load on first use.
"""

from eduanalytics._lazy import lazy_exports

_EXPORTS = {
    "analyses": "analyses", "briefing": "briefing", "build": "build", "outputs": "outputs",
    "present": "present", "session": "session",
    "run_report": "build", "export_briefing_charts": "briefing",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
