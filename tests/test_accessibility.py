"""Colours readable by colour-blind readers: the map's fills simulated for the three dichromacies.

Simulation: Machado, Oliveira & Fernandes (2009), severity 1, applied in linear sRGB; differences
in CIE L*a*b* (ΔE 1976). About 2.3 is just noticeable; 10 and more reads as clearly different.
"""

import itertools

import numpy as np
import pytest

from pvd_geo.webmap.spec import EXTRA_COLOURS, colours, drawn, legend

COLOURS = colours()

MACHADO = {
    "protanopie": [
        [0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]
    ],
    "deutéranopie": [
        [0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]
    ],
    "tritanopie": [
        [1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]
    ],
}  # fmt: skip
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE = np.array([0.95047, 1.0, 1.08883])
FILLS = ["pvd", "acv", "epci_pvd", "fond"]  # the areas a reader tells apart on the map


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    t = SRGB_TO_XYZ @ np.clip(linear, 0, 1) / WHITE
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _delta(a: str, b: str, matrix) -> float:
    m = np.asarray(matrix)
    return float(np.linalg.norm(_lab(m @ _linear(a)) - _lab(m @ _linear(b))))


@pytest.mark.parametrize("vision", list(MACHADO))
def test_map_fills_stay_distinct(vision):
    matrix = MACHADO[vision]
    for a, b in itertools.combinations(FILLS, 2):
        assert _delta(COLOURS[a], COLOURS[b], matrix) >= 10, (vision, a, b)
    for other in FILLS[1:]:  # the programme's communes stand out from everything else
        assert _delta(COLOURS["pvd"], COLOURS[other], matrix) >= 40, (vision, other)


@pytest.mark.parametrize("vision", list(MACHADO))
def test_other_programmes_differ_from_pvd_and_acv(vision):
    for colour in EXTRA_COLOURS:
        for key in ("pvd", "acv"):
            assert _delta(colour, COLOURS[key], MACHADO[vision]) >= 10, (vision, colour, key)


def test_legend_does_not_rely_on_colour_alone():
    items = legend("t", drawn(["pvd", "acv", "ort", "mine"], ("ort",)))["items"]
    shapes = [i.get("shape") or i.get("dash") for i in items]
    assert shapes == ["square", "ring", "square", "dotted", "dashed"]  # PVD, ACV, EPCI, ORT, own list
    assert all(i["label"] for i in items)
