"""badge.svg: valid XML showing the documented kind's conformance, coloured as shields.io colours it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from report_samples import sample_report

from invokeendpoint_conformance.conformance import render

SVG = "{http://www.w3.org/2000/svg}"


def badge_for(conformance: float | None) -> ET.Element:
    report = sample_report()
    report["summary"]["by_kind"]["documented"]["conformance"] = conformance
    return ET.fromstring(render.badge(report))


def texts(svg: ET.Element) -> list[str]:
    return [t.text for t in svg.iter(f"{SVG}text")]


def test_the_badge_is_an_svg_with_label_and_the_documented_percentage():
    svg = ET.fromstring(render.badge(sample_report()))
    assert svg.tag == f"{SVG}svg" and svg.get("height") == "20"
    assert texts(svg) == ["InvokeEndpoint documented"] * 2 + ["25.0%"] * 2
    assert svg.find(f"{SVG}title").text == "InvokeEndpoint documented: 25.0%"
    assert svg.get("aria-label") == "InvokeEndpoint documented: 25.0%"


def test_its_width_is_the_sum_of_its_two_halves_and_grows_with_the_text():
    svg = badge_for(97.6)
    halves = svg.findall(f"{SVG}g/{SVG}rect")[:2]
    assert int(svg.get("width")) == sum(int(r.get("width")) for r in halves)
    assert int(badge_for(None).get("width")) < int(svg.get("width"))


@pytest.mark.parametrize(
    "conformance, colour, shown",
    [
        (100, "#4c1", "100.0%"),
        (99.96, "#97ca00", "99.9%"),
        (97.6, "#97ca00", "97.6%"),
        (90, "#97ca00", "90.0%"),
        (89.9, "#dfb317", "89.9%"),
        (75, "#dfb317", "75.0%"),
        (74.9, "#fe7d37", "74.9%"),
        (50, "#fe7d37", "50.0%"),
        (49.9, "#e05d44", "49.9%"),
        (0, "#e05d44", "0.0%"),
        (None, "#9f9f9f", "n/a"),
    ],
)
def test_the_colour_follows_the_value(conformance, colour, shown):
    svg = badge_for(conformance)
    value_half = svg.findall(f"{SVG}g/{SVG}rect")[1]
    assert value_half.get("fill") == colour
    assert texts(svg)[-1] == shown


def test_a_report_without_documented_clauses_gets_an_n_a_badge():
    report = sample_report()
    del report["summary"]["by_kind"]["documented"]
    assert texts(ET.fromstring(render.badge(report)))[-1] == "n/a"
