"""Atlas PVD: the Petites villes de demain programme on commune and EPCI boundaries.

Data flows one way: sources → :mod:`pvd_geo.build` → ``geodata/build`` (GeoParquet) →
:func:`pvd_geo.atlas.load_atlas` → pages. Nothing here touches Streamlit (see ``pvd_geo.ui``);
importing the package imports nothing else (a fresh server drawing a stored map pays for no
data library).
"""
