"""write_all: the three renderings as UTF-8 files, named as report.py expects, and nothing else."""

from __future__ import annotations

from report_samples import sample_report

from invokeendpoint_conformance.conformance import render


def test_write_all_writes_the_three_renderings_and_returns_their_paths(tmp_path):
    report = sample_report()
    directory = tmp_path / "reports" / "run-1"  # not there yet
    written = render.write_all(report, directory)
    assert written == {name: directory / name for name in ("report.md", "report.html", "badge.svg")}
    assert sorted(p.name for p in directory.iterdir()) == ["badge.svg", "report.html", "report.md"]
    assert written["report.md"].read_text(encoding="utf-8") == render.markdown(report)
    assert written["report.html"].read_text(encoding="utf-8") == render.html(report)
    assert written["badge.svg"].read_text(encoding="utf-8") == render.badge(report)
    assert "✅".encode() in written["report.md"].read_bytes()  # UTF-8, whatever the locale


def test_rendering_leaves_the_report_as_it_was():
    report = sample_report()
    for make in (render.markdown, render.html, render.badge):
        make(report)
    assert report == sample_report()
