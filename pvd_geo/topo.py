"""Quantized TopoJSON for the web maps: each border shared by two communes is stored once.

The browser decodes it with ``topojson-client`` (from the npm registry, served locally like
Leaflet). Coordinates are snapped to a grid of ``10^-decimals`` degrees (``webmap.DECIMALS``: about
100 m, below a pixel at département zoom) and stored as integer steps from the previous point.

Arcs: a ring is cut at its junctions — the points where the neighbours of a point differ between
the rings that pass through it — so that the border between two communes is one arc, written once
and referred to by both (the second one backwards, as ``~index``). A ring without junction (an
island, an enclave) is one arc, rotated to a canonical start so that an enclave and the hole of its
host share it. The grid snapping makes shared vertices equal; vertices that do not match simply give
separate arcs (bigger, never wrong).
"""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import numpy as np
import shapely


def _rings(geom, scale: float) -> list[list[np.ndarray]]:
    """Polygons of ``geom`` as lists of rings of integer grid points (open: last != first)."""
    if geom is None or geom.is_empty:
        return []
    parts = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for poly in parts:
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        rings = []
        for ring in (poly.exterior, *poly.interiors):
            pts = np.rint(np.asarray(ring.coords)[:, :2] * scale).astype(np.int64)
            keep = np.ones(len(pts), dtype=bool)
            keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)  # drop repeated points
            pts = pts[keep]
            if len(pts) > 1 and (pts[0] == pts[-1]).all():
                pts = pts[:-1]
            if len(pts) >= 3:
                rings.append(pts)
        if rings:
            out.append(rings)
    return out


def _key(points: np.ndarray) -> np.ndarray:
    return (points[:, 0] << 32) + (points[:, 1] & 0xFFFFFFFF)


def _junctions(rings: list[np.ndarray]) -> set[int]:
    """Keys of the points met with more than one pair of neighbours (or a ring's start twice)."""
    if not rings:
        return set()
    keys = [_key(r) for r in rings]
    here = np.concatenate(keys)
    prev = np.concatenate([np.roll(k, 1) for k in keys])
    nxt = np.concatenate([np.roll(k, -1) for k in keys])
    low, high = np.minimum(prev, nxt), np.maximum(prev, nxt)
    triples = np.unique(np.stack([here, low, high], axis=1), axis=0)
    points, counts = np.unique(triples[:, 0], return_counts=True)
    return set(points[counts > 1].tolist())


class _Arcs:
    """Arcs written once; a ring's pieces refer to them by index (``~i``: backwards)."""

    def __init__(self) -> None:
        self.arcs: list[np.ndarray] = []
        self.index: dict[bytes, int] = {}

    def add(self, points: np.ndarray) -> int:
        forward = points.tobytes()
        if forward in self.index:
            return self.index[forward]
        backward = points[::-1].tobytes()
        if backward in self.index:
            return ~self.index[backward]
        self.index[forward] = len(self.arcs)
        self.arcs.append(points)
        return len(self.arcs) - 1

    def ring(self, ring: np.ndarray, junctions: set[int]) -> list[int]:
        keys = _key(ring)
        cuts = [i for i, k in enumerate(keys.tolist()) if k in junctions]
        if not cuts:  # no junction: one closed arc from a canonical start (lowest point)
            start = int(np.lexsort((ring[:, 1], ring[:, 0]))[0])
            rolled = np.roll(ring, -start, axis=0)
            return [self.add(np.vstack([rolled, rolled[:1]]))]  # add() finds it backwards too
        rolled = np.roll(ring, -cuts[0], axis=0)
        closed = np.vstack([rolled, rolled[:1]])
        offsets = [c - cuts[0] for c in cuts] + [len(ring)]
        return [self.add(closed[a : b + 1]) for a, b in zip(offsets, offsets[1:], strict=False)]

    def encoded(self, origin: np.ndarray) -> list[list[list[int]]]:
        """Delta-encoded arcs: the first point from ``origin``, then steps."""
        return [np.vstack([arc[:1] - origin, np.diff(arc, axis=0)]).tolist() for arc in self.arcs]


def topology(objects: dict[str, tuple[list, list[dict]]], decimals: int = 3) -> dict:
    """A TopoJSON topology of named objects, each (geometries, properties): one geometry per
    feature, in order; features without a polygon are kept (``null`` type) so indices match."""
    scale = 10.0**decimals
    polygons = {name: [_rings(g, scale) for g in geoms] for name, (geoms, _) in objects.items()}
    every = [ring for feats in polygons.values() for polys in feats for rings in polys for ring in rings]
    junctions = _junctions(every)
    arcs = _Arcs()
    out_objects = {}
    for name, (_, props) in objects.items():
        geometries = []
        for polys, prop in zip(polygons[name], props, strict=True):
            encoded = [[arcs.ring(r, junctions) for r in rings] for rings in polys]
            if not encoded:
                geometries.append({"type": None, "properties": prop})
            elif len(encoded) == 1:
                geometries.append({"type": "Polygon", "arcs": encoded[0], "properties": prop})
            else:
                geometries.append({"type": "MultiPolygon", "arcs": encoded, "properties": prop})
        out_objects[name] = {"type": "GeometryCollection", "geometries": geometries}
    origin = np.min([a.min(axis=0) for a in arcs.arcs], axis=0) if arcs.arcs else np.zeros(2, np.int64)
    return {
        "type": "Topology",
        "transform": {
            "scale": [1 / scale, 1 / scale],
            "translate": (origin / scale).round(decimals).tolist(),
        },
        "objects": out_objects,
        "arcs": arcs.encoded(origin),
    }


def _zigzag(values: np.ndarray) -> np.ndarray:
    return np.where(values < 0, ~(values << 1), values << 1)


def encode_ints(values) -> str:
    """Integers as text, five bits a character (the polyline scheme: characters 63 to 126, none of
    which needs escaping in HTML; about 2 characters a small number instead of 4 to 6)."""
    out = []
    for value in _zigzag(np.asarray(values, dtype=np.int64).ravel()).tolist():
        while value >= 0x20:
            out.append(chr((0x20 | (value & 0x1F)) + 63))
            value >>= 5
        out.append(chr(value + 63))
    return "".join(out)


def encode_arc(steps: np.ndarray) -> str:
    """An arc's integer steps (x, y pairs) as text (:func:`encode_ints`)."""
    return encode_ints(steps)


def encode_ring(refs: list[int]) -> str:
    """A ring's arc references as text: the first, then the differences (neighbouring arcs often
    have neighbouring numbers)."""
    return encode_ints(np.diff(np.asarray(refs, dtype=np.int64), prepend=0))


def decode_ints(text: str) -> list[int]:
    """The integers of :func:`encode_ints` (tests; the browser has its own decoder)."""
    values, value, shift = [], 0, 0
    for char in text:
        chunk = ord(char) - 63
        value |= (chunk & 0x1F) << shift
        shift += 5
        if chunk < 0x20:
            values.append(~(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    return values


def decode_arc(text: str) -> list[list[int]]:
    """The steps of :func:`encode_arc`."""
    values = decode_ints(text)
    return [values[i : i + 2] for i in range(0, len(values), 2)]


def decode_ring(text: str) -> list[int]:
    """The references of :func:`encode_ring`."""
    return np.cumsum(decode_ints(text)).tolist()


def compact(topology_: dict) -> dict:
    """The topology for the web: arcs as text (:func:`encode_arc`), each object as a list of
    geometries given by their rings only, as text (:func:`encode_ring`; a Polygon is a list of rings,
    a MultiPolygon a list of such lists, ``null``: none); properties travel apart, as columns."""

    def geometry(g: dict):
        if g["type"] == "Polygon":
            return [encode_ring(r) for r in g["arcs"]]
        if g["type"] == "MultiPolygon":
            return [[encode_ring(r) for r in poly] for poly in g["arcs"]]
        return None

    return {
        "transform": topology_["transform"],
        "arcs": [encode_arc(np.asarray(a)) for a in topology_["arcs"]],
        "objects": {
            name: [geometry(g) for g in obj["geometries"]] for name, obj in topology_["objects"].items()
        },
    }


def decode_rings(topo: dict, name: str) -> list[list[list[np.ndarray]]]:
    """The rings of each feature of an object, back as grid points (tests; the browser uses
    ``topojson-client``)."""
    origin = np.rint(np.asarray(topo["transform"]["translate"]) / topo["transform"]["scale"][0]).astype(
        np.int64
    )
    arcs = [np.cumsum(np.asarray(a), axis=0) + origin for a in topo["arcs"]]

    def ring(refs: list[int]) -> np.ndarray:
        pieces = [arcs[r] if r >= 0 else arcs[~r][::-1] for r in refs]
        joined = [pieces[0]] + [p[1:] for p in pieces[1:]]
        return np.vstack(joined)

    out = []
    for g in topo["objects"][name]["geometries"]:
        if g["type"] == "Polygon":
            out.append([[ring(r) for r in g["arcs"]]])
        elif g["type"] == "MultiPolygon":
            out.append([[ring(r) for r in poly] for poly in g["arcs"]])
        else:
            out.append([])
    return out


def points(geoms, decimals: int = 3) -> list[list[float]]:
    """[lat, lng] of points, rounded like the grid."""
    xy = shapely.get_coordinates(np.asarray(geoms, dtype=object))
    return [[round(float(y), decimals), round(float(x), decimals)] for x, y in xy]
