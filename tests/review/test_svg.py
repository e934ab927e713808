"""The SVG renderer: well-formed, deterministic, no overlapping nodes, legible when big."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from analyzer.report.path_builder import diagram_for
from analyzer.report.svg import FONT, layout_diagram, render_svg
from tests.review import shapes as s


def test_svg_is_well_formed_and_has_every_node():
    d = diagram_for("main()", s.big_tree())
    svg = render_svg(d)
    root = ET.fromstring(svg)
    groups = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if "node" in g.get("class", "")]
    assert len(groups) == len(layout_diagram(d).nodes)
    assert "<script" not in svg and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_svg_is_deterministic():
    a = render_svg(diagram_for("main()", s.big_tree()))
    b = render_svg(diagram_for("main()", s.big_tree()))
    assert a == b


def test_big_diagram_nodes_do_not_overlap_and_text_is_readable():
    box = layout_diagram(diagram_for("main()", s.big_tree()))
    assert len(box.nodes) >= 15
    for a, b in itertools.combinations(box.nodes, 2):
        apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
        assert apart, (a.node.label, b.node.label)
    assert FONT >= 11
    assert box.w < 2000  # wide enough to read, narrow enough to scroll


def test_edges_stay_inside_the_drawing():
    box = layout_diagram(diagram_for("main()", s.big_tree()))
    for e in box.edges:
        for x, y in e.points:
            assert -0.5 <= x <= box.w + 0.5 and -0.5 <= y <= box.h + 0.5
