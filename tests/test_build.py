"""Derived layers: dissolve and coverage generalisation keep the shared topology."""

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from pvd_geo.build import dissolve, generalise, remove_slivers


def _jagged_grid(n: int = 4) -> np.ndarray:
    """n×n cells whose shared vertical edges zigzag with many vertices (a coverage)."""
    xs = [[(i + 0.05 * np.sin(7 * y), y) for y in np.linspace(0, n, n * 15 + 1)] for i in range(n + 1)]
    cells = []
    for i in range(n):
        for j in range(n):
            left = [p for p in xs[i] if j <= p[1] <= j + 1]
            right = [p for p in xs[i + 1] if j <= p[1] <= j + 1]
            cells.append(Polygon(left + right[::-1]))
    return np.asarray(cells, dtype=object)


def test_generalise_keeps_neighbours_sharing_edges():
    cells = _jagged_grid()
    assert shapely.coverage_is_valid(cells)
    simple = generalise(cells, 0.2)
    assert shapely.get_num_coordinates(simple).sum() < shapely.get_num_coordinates(cells).sum() / 2
    assert shapely.coverage_is_valid(simple)  # no overlaps, no gaps between neighbours
    union = shapely.union_all(simple)
    assert union.geom_type == "Polygon" and len(union.interiors) == 0
    assert sum(p.area for p in simple) == pytest.approx(union.area, rel=1e-9)


def test_generalise_leaves_missing_geometries():
    geoms = np.asarray([box(0, 0, 1, 1), None], dtype=object)
    out = generalise(geoms, 0.1)
    assert out[1] is None and out[0].equals(box(0, 0, 1, 1))


def test_dissolve_by_key_and_sliver_removal():
    geoms = np.asarray([box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)], dtype=object)
    out = dissolve(geoms, pd.Series(["a", "a", "b"]))
    assert list(out.index) == ["a", "b"]
    assert out["a"].area == 2 and len(shapely.get_parts(out["a"])) == 1
    ring = Polygon(box(0, 0, 10, 10).exterior, [box(4, 4, 4.001, 4.001).exterior, box(2, 2, 5, 5).exterior])
    cleaned = remove_slivers(np.asarray([ring], dtype=object))[0]
    assert shapely.get_num_interior_rings(shapely.get_parts(cleaned)).tolist() == [1]  # the real hole stays


def test_two_builds_of_the_same_sources_have_the_same_content_digest(built_dir, tmp_path):
    """Replicas on several machines each build their data: the content digest printed by `check`
    is how they check they serve the same data (the build's date is left out, nothing else)."""
    from pvd_geo.build import build, content_digest

    again = tmp_path / "build"
    build(again, cache=None)
    assert (again / "meta.json").read_bytes() != (built_dir / "meta.json").read_bytes()  # another date
    assert content_digest(again) == content_digest(built_dir)
    # a change of the content changes it
    epci = pd.read_parquet(again / "epci.parquet")
    epci.loc[0, "nom"] = epci.loc[0, "nom"] + " "
    epci.to_parquet(again / "epci.parquet", index=False)
    assert content_digest(again) != content_digest(built_dir)
