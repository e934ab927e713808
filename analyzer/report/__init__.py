"""Renderers: each turns an `AnalysisResult` into one output format, deterministically."""

from analyzer.report.json_report import render_json, result_to_dict
from analyzer.report.text_report import render_text

__all__ = ["render_json", "render_text", "result_to_dict"]
