"""Web maps: ``folium.Map`` + the atlas's folium plugins and their files.

- :mod:`.spec` — what a map draws, built from the atlas's layers (geopandas);
- :mod:`.maps` — the ``folium.Map`` of a prepared map (shown by ``st_folium`` in the dashboard,
  rendered to files for the static site); light: no pandas, a stored map is drawn without them;
- :mod:`.plugins` — the atlas's folium plugins, one concern each (compact TopoJSON layers with
  codes, panels and insets, legend and sources, opening view and « Recentrer », labels without
  overlap, cooperative gestures);
- ``static/`` — their scripts and style, served by the atlas itself.
"""
