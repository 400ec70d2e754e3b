"""The data libraries (pandas, pyarrow, shapely, geopandas), imported in one fixed order.

The app imports them late (the overview's first screen needs none of them) and from several threads
at once (Streamlit runs each script in its own thread). pandas and pyarrow import each other: two
threads entering that pair from different ends each wait for the other, and Python then hands one of
them a partly initialised module — "partially initialized module 'pandas' has no attribute 'NA'",
seen once under load on a replica's first sessions (benchmarks/bench_capacity.py). So every module
of the package that uses these libraries imports this one first: its module lock lets one thread
import the whole stack while the others wait (tests/test_layers.py checks the rule).
"""

import geopandas  # noqa: F401  (imports pandas, numpy, shapely and, through pandas, pyarrow)
import pandas  # noqa: F401
import pyarrow  # noqa: F401
import pyarrow.parquet  # noqa: F401
import shapely  # noqa: F401
