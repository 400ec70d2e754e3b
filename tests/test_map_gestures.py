"""The dashboard's maps in a real browser (Chromium, offline): folium + st_folium with the atlas's
plugins — clicks open what was clicked, cooperative gestures, « Recentrer »."""

import time

import pytest

from .conftest import (
    ARGS,
    CHROMIUM,
    click_a_pvd_commune,
    map_frame,
    offline_context,
    settle,
    wait_for_paths,
    wait_for_url,
)

pytestmark = pytest.mark.browser


SCROLLED = """() => Math.max(window.scrollY,
  ...Array.from(document.querySelectorAll('*'), e => e.scrollTop))"""


def map_view(page) -> tuple[float, float, float]:
    """Zoom and centre of the map (st_folium keeps the Leaflet map as ``window.map``)."""
    frame = page.locator("iframe[title='streamlit_folium.st_folium']").first.element_handle().content_frame()
    z, lat, lng = frame.evaluate("() => [map.getZoom(), map.getCenter().lat, map.getCenter().lng]")
    return z, round(lat, 5), round(lng, 5)


def map_box(page) -> dict:
    return page.locator("iframe[title='streamlit_folium.st_folium']").first.bounding_box()


@pytest.mark.parametrize(
    "path",
    ["/", "/Territoire?dep=30", "/Territoire?dep=30&epci=200034411"],
    ids=["overview", "departement", "epci"],
)
def test_a_click_on_a_commune_opens_the_commune(page, server, path):
    """Wherever a commune is clicked (overview, a département's page, an EPCI's page), its page
    opens — not its EPCI — and the commune is outlined on its own page's map."""
    page.goto(server + path)
    settle(page)
    wait_for_paths(page, 10)
    click_a_pvd_commune(page)
    url = wait_for_url(page, "com=")
    code = url.split("com=")[1][:5]
    wait_for_paths(page, 3)
    own = map_frame(page).locator("path[stroke='#000000'][stroke-width='4']")
    deadline = time.time() + 10
    while own.count() == 0 and time.time() < deadline:
        page.wait_for_timeout(200)
    assert own.count() >= 1, f"commune {code} not outlined on its page"
    assert page.refused == []


def test_wheel_scrolls_the_page_and_ctrl_wheel_zooms(page, server):
    page.goto(server)
    settle(page)
    wait_for_paths(page, 800)
    before = map_view(page)
    box = map_box(page)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    scrolled = page.evaluate(SCROLLED)
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(800)
    assert page.evaluate(SCROLLED) > scrolled  # the page moved
    assert map_view(page) == before  # the map kept its zoom
    hint = map_frame(page).locator(".leaflet-container").get_attribute("data-gesture-handling-scroll-content")
    assert "Ctrl" in hint and "molette" in hint  # the French hint
    box = map_box(page)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")
    for _ in range(4):  # a reader's wheel sends several events
        page.mouse.wheel(0, -120)
        page.wait_for_timeout(60)
    page.keyboard.up("Control")
    page.wait_for_timeout(800)
    assert map_view(page)[0] > before[0]  # Ctrl + wheel zooms in
    assert page.refused == []


def touch(cdp, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]},
    )


def test_one_finger_scrolls_the_page_two_fingers_pan_the_map(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        _, page = offline_context(
            browser,
            viewport={"width": 390, "height": 844},
            has_touch=True,
            is_mobile=True,
            device_scale_factor=2,
        )
        page.goto(server)
        settle(page)
        wait_for_paths(page, 800)
        page.locator("iframe[title='streamlit_folium.st_folium']").first.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        cdp = page.context.new_cdp_session(page)
        box = map_box(page)
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.6
        before, scrolled = map_view(page), page.evaluate(SCROLLED)
        touch(cdp, "touchStart", [(x, y)])
        for step in range(1, 11):
            touch(cdp, "touchMove", [(x, y - 20 * step)])
            page.wait_for_timeout(16)
        touch(cdp, "touchEnd", [])
        page.wait_for_timeout(800)
        assert map_view(page) == before  # one finger: the map did not move…
        assert page.evaluate(SCROLLED) > scrolled  # …the page did
        box = map_box(page)
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        scrolled = page.evaluate(SCROLLED)
        touch(cdp, "touchStart", [(x - 40, y), (x + 40, y)])
        for step in range(1, 11):
            touch(cdp, "touchMove", [(x - 40 - 12 * step, y), (x + 40 - 12 * step, y)])
            page.wait_for_timeout(16)
        touch(cdp, "touchEnd", [])
        page.wait_for_timeout(800)
        after = map_view(page)
        assert after[2] > before[2]  # two fingers to the left: the map shows what lies east
        assert abs(page.evaluate(SCROLLED) - scrolled) < 5
        assert page.refused == []
        browser.close()


def test_recentre_restores_the_opening_view(page, server):
    page.goto(f"{server}/?perimetre=france")
    settle(page)
    wait_for_paths(page, 100)
    opening = map_view(page)
    frame = map_frame(page)
    frame.locator(".leaflet-control-zoom-in").click()
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    assert map_view(page)[0] > opening[0]
    frame.locator("a[aria-label='Recentrer']").click()
    page.wait_for_timeout(600)
    zoom, lat, lng = map_view(page)
    pixel = 360 / (256 * 2**zoom)  # degrees of longitude per pixel: Leaflet rounds views to pixels
    assert zoom == opening[0] and abs(lat - opening[1]) < 2 * pixel and abs(lng - opening[2]) < 2 * pixel
    assert page.refused == []


def test_a_rerun_with_the_same_map_does_not_redraw_it(page, server):
    """Another widget changes (the counts' level): the script reruns, the map's frame is kept."""
    page.goto(server)
    settle(page)
    wait_for_paths(page, 800)
    frame = page.locator("iframe[title='streamlit_folium.st_folium']").first.element_handle().content_frame()
    frame.evaluate("() => { window.__still_here = true; }")
    page.get_by_text("EPCI", exact=True).first.click()  # « Niveau » of the counts under the map
    settle(page)
    page.wait_for_timeout(500)
    frame = page.locator("iframe[title='streamlit_folium.st_folium']").first.element_handle().content_frame()
    assert frame.evaluate("() => window.__still_here === true")


EDGE_TIP = """() => {
  const box = document.querySelector(".leaflet-container").getBoundingClientRect();
  let best = null;
  for (const path of document.querySelectorAll("path.leaflet-interactive")) {
    const r = path.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < box.right - 4 && y < box.bottom - 4 && (!best || x + y > best[1] + best[2])) best = [path, x, y];
  }
  const [path, x, y] = best;
  const at = {bubbles: true, clientX: x, clientY: y};
  path.dispatchEvent(new MouseEvent("mouseover", at));
  path.dispatchEvent(new MouseEvent("mousemove", at));
  const tip = document.querySelector(".leaflet-tooltip:not(.pvd-inset)").getBoundingClientRect();
  return [tip.left >= box.left, tip.top >= box.top, tip.right <= box.right, tip.bottom <= box.bottom];
}"""


def test_tooltips_stay_inside_the_map(page, server):
    """The commune nearest the map's bottom-right corner: its tooltip is pulled back inside."""
    page.goto(f"{server}/Territoire?dep=30")
    settle(page)
    wait_for_paths(page, 350)
    frame = page.locator("iframe[title='streamlit_folium.st_folium']").first.element_handle().content_frame()
    assert frame.evaluate(EDGE_TIP) == [True, True, True, True]
