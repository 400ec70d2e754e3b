"""The readers' budget of server time (pvd_geo.budget): new work refused before it starts once a
client address has spent its CPU seconds, in French, on every page that computes maps; a client
in a loop of new crafted links gets cheap refusals; cached views stay free."""

import time

import pytest

from pvd_geo import budget
from pvd_geo.budget import Budget, OverBudget


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_client_spends_then_waits_for_the_refill_others_are_not_touched():
    clock = Clock()
    book = Budget(capacity_s=10, refill_per_s=0.5, clock=clock)
    assert book.wait_s("a") == 0
    book.charge("a", 4)
    assert book.wait_s("a") == 0  # 6 s left
    book.charge("a", 9)  # work is charged after it ran: the level may go below zero
    assert book.wait_s("a") == pytest.approx(6.0, abs=0.01)  # -3 s at 0.5 s per second
    assert book.wait_s("b") == 0  # another address
    clock.now = 5.9
    assert book.wait_s("a") > 0
    clock.now = 6.1
    assert book.wait_s("a") == 0
    clock.now = 1000
    book.charge("a", 9.9)
    assert book.wait_s("a") == 0  # refilled to the capacity only (10 s), not beyond


def test_spend_refuses_before_the_work_and_charges_its_cpu_time():
    book = Budget(capacity_s=0.05, refill_per_s=0.001)
    ran = []
    with book.spend("a"):
        end = time.thread_time() + 0.08
        while time.thread_time() < end:  # 80 ms of CPU
            pass
    with pytest.raises(OverBudget) as refused, book.spend("a"):
        ran.append(1)
    assert ran == []  # refused before the work
    assert refused.value.wait_s > 20  # -30 ms at 1 ms per second
    text = refused.value.french("cette carte")
    assert "Trop de calculs nouveaux" in text and "cette carte pourra être calculée dans" in text


def test_many_addresses_do_not_grow_without_bound():
    book = Budget(capacity_s=1, refill_per_s=1, max_clients=100)
    for i in range(1000):
        book.charge(f"10.0.{i // 256}.{i % 256}", 0.5)
    assert len(book._buckets) <= 100


def test_the_operators_set_the_budget_in_the_environment(monkeypatch):
    monkeypatch.setenv("PVD_BUDGET_CPU_S", "30")
    monkeypatch.setenv("PVD_BUDGET_CPU_PAR_S", "pas un nombre")
    book = budget.from_env()
    assert (book.capacity_s, book.refill_per_s) == (30.0, 0.02)  # the default rate kept


def test_a_new_map_over_budget_is_a_french_warning_on_every_page(build_env, monkeypatch):
    """A reader whose budget is spent asks for views no cache has: each page says so in French, no
    exception; the same reader with budget gets the maps."""
    from .conftest import app_for

    spent = Budget(capacity_s=1, refill_per_s=1e-6)
    spent.charge("inconnue", 5)  # AppTest has no client address: "inconnue"
    monkeypatch.setattr(budget, "BUDGET", spent)
    views = [
        ("dashboard.py", {"deps": "2A,2B,05"}),
        ("pages/1_Territoire.py", {"dep": "04"}),
        ("pages/2_Comparer.py", {"t": "departement:48,departement:15"}),
    ]
    for page, params in views:
        app = app_for(page)
        for key, value in params.items():
            app.query_params[key] = value
        app.run()
        assert not app.exception, (page, app.exception)
        warnings = [w.value for w in app.warning]
        assert any("Trop de calculs nouveaux demandés depuis votre adresse" in w for w in warnings), (
            page,
            warnings,
        )

    monkeypatch.setattr(budget, "BUDGET", Budget(capacity_s=1000, refill_per_s=1))
    app = app_for("pages/1_Territoire.py")
    app.query_params["dep"] = "04"
    app.run()
    assert not app.exception
    assert not any("Trop de calculs" in w.value for w in app.warning)


@pytest.mark.browser
def test_crafted_links_in_a_loop_get_cheap_refusals_on_a_real_server(built_dir, tmp_path):
    """A real server with a budget of 1 s (1 ms regained per second): links naming 12
    départements never asked together, one after the other from one browser — the first maps are
    made, then the page says in French when to come back, in a fraction of a map's time; the
    default view (made before) is still shown."""
    from .conftest import app_env, offline_page, running_app, settle, wait_for_paths

    deps = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16"]
    env = {**app_env(built_dir, tmp_path), "PVD_BUDGET_CPU_S": "1", "PVD_BUDGET_CPU_PAR_S": "0.001"}
    with running_app(env) as url, offline_page() as page:
        page.goto(url)
        settle(page)
        assert wait_for_paths(page, 800) >= 800  # the default view
        refused_at, seconds = None, []
        for i in range(4):
            start = time.perf_counter()
            page.goto(f"{url}/?deps={','.join(deps[i : i + 12])}")
            settle(page)
            seconds.append(time.perf_counter() - start)
            if page.get_by_text("Trop de calculs nouveaux demandés depuis votre adresse").count():
                refused_at = i
                break
        assert refused_at is not None and refused_at >= 1, seconds  # at least one map was made
        assert seconds[refused_at] < seconds[0], seconds  # a refusal costs less than a new map
        page.goto(url)
        settle(page)
        assert wait_for_paths(page, 800) >= 800  # views made before stay free
        assert page.refused == []


def test_page_runs_past_the_burst_get_a_short_french_refusal(build_env, monkeypatch):
    """A client rerunning pages in a loop: past its burst, each run says so and stops before any
    work (no map, no table); another address is not touched."""
    from .conftest import app_for

    monkeypatch.setattr(budget, "RUNS", Budget(capacity_s=3, refill_per_s=1e-6))  # 3 runs
    seen = []
    for _ in range(4):
        app = app_for("pages/1_Territoire.py")
        app.query_params["dep"] = "30"
        app.run()
        assert not app.exception
        seen.append(any("Trop de pages demandées depuis votre adresse" in w.value for w in app.warning))
    assert seen == [False, False, False, True]
    assert not app.subheader  # nothing computed after the refusal
    assert budget.RUNS.wait_s("198.51.100.1") == 0
