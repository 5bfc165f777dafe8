"""The explorer's six journeys in real headless Chromium against a live production server (trusted documents only).

Each journey ends with a screenshot (tests/explorer/screenshots/) and an axe-core check: no serious or critical
violation. Every request the app sends to /graphql must be a GET naming a persisted query by hash, with no query text.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.explorer.conftest import PHONE, Session

pytestmark = pytest.mark.slow

CHAIN = ["mistral-small-2402", "mistral-small-2409", "mistral-small-2501", "mistral-small-2503", "mistral-small-2506",
         "mistral-small-2603"]


def only_persisted_gets(s: Session) -> None:
    assert s.graphql, "the app sent no GraphQL request"
    for request in s.graphql:
        assert request.method == "GET", request.url
        params = parse_qs(urlparse(request.url).query)
        assert "query" not in params, request.url
        assert len(json.loads(params["extensions"][0])["persistedQuery"]["sha256Hash"]) == 64


def finish(s: Session, step: str) -> None:
    s.shot(step)
    violations = s.axe()
    assert violations == [], json.dumps(violations, indent=1)
    only_persisted_gets(s)


def test_search_open_2402_and_see_the_chain_to_2603(session: Session) -> None:
    s, page = session, session.page
    s.open()
    box = page.get_by_role("combobox").last  # the home page's search field (the header has one too)
    box.fill("mistral small")
    option = page.get_by_role("option", name="Mistral Small 1.0 (v24.02)")
    option.wait_for()
    s.shot("1-suggestions")
    for _ in range(12):  # keyboard only: arrow down to the suggestion, Enter opens it
        if option.get_attribute("aria-selected") == "true":
            break
        box.press("ArrowDown")
    box.press("Enter")
    page.get_by_role("heading", level=1, name="Mistral Small 1.0 (v24.02)").wait_for()
    assert page.url.endswith("#/model/mistral-small-2402")
    page.get_by_role("link", name="Lineage").click()
    page.get_by_role("heading", name="Lineage of Mistral Small 1.0 (v24.02)").wait_for()
    chain = page.locator("ol.chain a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert chain == [f"#/model/{slug}" for slug in CHAIN]
    picture = page.locator("svg.graph")
    for slug in CHAIN:  # every version of the chain is a node of the picture
        assert picture.locator(f'a[href="#/model/{slug}"]').count() >= 1
    assert "from 2026-06-25" in page.locator("ul.replacements").inner_text()  # replacements with validity dates
    assert picture.locator(".alias a").count() >= 5  # mistral-small-latest's bindings on the timeline
    finish(s, "2-lineage")
    picture.locator('a.node[href="#/model/mistral-small-2603"]').click()  # clicking a node opens that model
    page.get_by_role("heading", level=1, name="Mistral Small 4 (v26.03)").wait_for()


def test_plan_a_migration_from_2402_staying_on_bedrock(session: Session) -> None:
    s, page = session, session.page
    s.open("#/model/mistral-small-2402")
    page.get_by_role("link", name="Plan a migration").click()
    page.get_by_label("Stay on provider").fill("aws-bedrock")
    page.get_by_role("button", name="Find paths").click()
    page.wait_for_url("**provider=aws-bedrock**")
    page.locator("[aria-labelledby=paths] .loading").wait_for(state="detached")
    first = page.locator("li.path").first
    first.wait_for()
    text = first.inner_text()
    for check in ("CONTEXT", "PRICE RATIO", "CAPABILITIES LOST", "LICENSE", "API ID", "TARGET STATUS"):
        assert check in text.upper()
    assert "on Amazon Bedrock" in text  # the price ratio is computed on the provider kept
    assert page.locator("li.path ul.warnings li").count() >= 1
    finish(s, "paths")
    page.get_by_label("Minimum context (tokens)").fill("50000000")  # nothing has a 50M context: no path
    page.get_by_role("button", name="Find paths").click()
    page.get_by_text("No path fits these constraints.").wait_for()
    culprit = page.locator("li", has_text="This constraint removes the candidates")
    culprit.first.wait_for()
    assert "context of at least 50M" in culprit.first.inner_text()
    s.shot("no-path")


def test_alternatives_to_gpt_4o_with_function_calling(session: Session) -> None:
    s, page = session, session.page
    s.open("#/model/gpt-4o")
    page.get_by_role("link", name="Alternatives").click()
    page.get_by_role("checkbox", name="Function calling").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**cap=function-calling**")
    page.locator("[aria-labelledby=alternatives] .loading").wait_for(state="detached")
    # the unfiltered table may still be up when the URL changes: wait for the filtered answer's rows
    page.wait_for_function("""() => { const rows = [...document.querySelectorAll('table.alts tbody tr')];
        return rows.length >= 3 && rows.every(r => (r.querySelectorAll('td')[2]?.innerText || '').includes('Function calling')); }""")
    rows = page.locator("table.alts tbody tr")
    assert rows.count() >= 3
    for i in range(rows.count()):
        shared = rows.nth(i).locator("td").nth(2).inner_text()
        assert "Function calling" in shared
    header = page.locator("table.alts thead").inner_text().upper()
    assert "MISSING" in header and "PRICE RATIO" in header and "CHEAPEST ROUTE" in header
    page.get_by_label("Sort by").select_option("price")
    ratios = [r for r in page.locator("table.alts tbody tr td:nth-child(6)").all_inner_texts() if r.startswith("×")]
    values = [float(r[1:]) for r in ratios]
    assert values == sorted(values)
    finish(s, "alternatives")


def test_compare_two_models(session: Session) -> None:
    s, page = session, session.page
    s.open("#/model/gpt-4o")
    page.get_by_role("button", name="Add to compare").click()
    page.get_by_role("heading", level=1, name="Compare").wait_for()
    add = page.get_by_role("combobox", name="Add a model to compare")
    add.fill("mistral-small-2603")
    page.get_by_role("option", name="Mistral Small 4 (v26.03)").click()
    table = page.locator("table.compare")
    table.wait_for()
    # gpt-4o is a moving alias: the page shows the snapshot it points to today
    assert page.url.endswith("#/compare/gpt-4o-2024-08-06,mistral-small-2603")
    # the table is drawn with the first model and redrawn once the second one's answer arrives: wait for both
    expect(table.locator("thead th").nth(2)).to_have_text("Mistral Small 4 (v26.03)", timeout=15_000)
    heads = table.locator("thead th").all_text_contents()[1:]
    assert heads == ["GPT-4o 2024-08-06", "Mistral Small 4 (v26.03)"]
    context_row = table.locator("tr", has=page.locator("th", has_text="Context window")).inner_text()
    assert "128k" in context_row and "256k" in context_row
    finish(s, "compare")


def test_open_a_shared_url_directly(session: Session) -> None:
    s, page = session, session.page
    s.open("#/migrate/mistral-small-2402?provider=aws-bedrock&keep=function-calling")
    page.locator("li.path").first.wait_for()
    assert page.get_by_label("Stay on provider").input_value() == "aws-bedrock"
    assert page.get_by_role("checkbox", name="Function calling").is_checked()
    finish(s, "migrate")
    page.goto(s.server.url("/#/family/mistral-small"))  # a family view shows the whole line
    page.get_by_role("heading", level=1, name="Mistral Small").wait_for()
    page.locator("svg.graph").wait_for()
    assert page.locator("ol.versions li").count() >= 6
    finish(s, "family")


def test_a_model_with_conflicting_claims(session: Session) -> None:
    s, page = session, session.page
    s.open("#/model/gpt-4o")
    conflicts = page.locator("section", has=page.get_by_role("heading", name="Conflicts"))
    field = conflicts.locator("div.conflict", has=page.locator("h3", has_text="contextWindow"))
    field.wait_for()
    current = field.locator("tr.current").inner_text()
    assert "128000" in current and "current" in current
    assert field.locator("tbody tr").count() >= 2  # competing values, each with its sources
    field.locator("tr:not(.current) summary").first.click()
    assert field.locator("tr:not(.current) details li").count() >= 1
    card = page.locator("section", has=page.get_by_role("heading", name="Card")).inner_text()
    assert "128k" in card  # the card shows the current value
    page.locator("svg.chart").wait_for()  # the price ladder
    finish(s, "conflicts")


def test_phone_width_and_keyboard(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    s = Session(context.new_page(), server, "phone")
    try:
        s.open("#/model/mistral-small-2402")
        s.page.get_by_role("heading", level=1, name="Mistral Small 1.0 (v24.02)").wait_for()
        s.page.locator("text=Conflicts").first.wait_for()
        wide = s.page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => {
            const r = e.getBoundingClientRect(); return r.right > %d + 1 && !e.closest('.scroll');
          }).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + e.textContent.slice(0, 60))""" % PHONE["width"])
        assert wide == [], f"wider than a phone: {wide}"
        assert s.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        s.shot("model")
        assert s.axe() == []
        s.page.keyboard.press("/")  # "/" focuses the search field
        assert s.page.evaluate("() => document.activeElement.id") == "top-search"
        assert not s.errors, s.errors
    finally:
        context.close()


def test_an_alias_resolves_and_a_family_lists_its_versions(session: Session) -> None:
    s, page = session, session.page
    s.open()
    box = page.get_by_role("combobox").last
    box.fill("mistral-small-latest")
    today = page.get_by_role("option").first
    today.wait_for()
    page.get_by_role("option", name="mistral-small-latest → Mistral Small 4 (v26.03)").wait_for()
    assert today.get_attribute("aria-selected") == "true"  # where the alias points today comes first
    s.shot("alias")
    box.press("Enter")
    page.get_by_role("heading", level=1, name="Mistral Small 4 (v26.03)").wait_for()
    page.goto(s.server.url("/#/search?q=mistral%20small"))
    family = page.locator("ul.results > li", has=page.locator(".kind", has_text="Family")).first
    family.locator("ol.versions li").first.wait_for()
    versions = family.locator("ol.versions a").all_text_contents()
    assert versions[0] == "Mistral Small 1.0 (v24.02)" and "Mistral Small 4 (v26.03)" in versions
    finish(s, "family-search")


def test_error_and_not_found_states(session: Session) -> None:
    s, page = session, session.page
    s.open("#/model/no-such-model-anywhere")
    page.get_by_role("heading", level=1, name="Not found").wait_for()
    failing = {"on": True}

    def outage(route) -> None:  # type: ignore[no-untyped-def]
        if failing["on"]:
            route.fulfill(status=503, content_type="application/json",
                          body=json.dumps({"errors": [{"message": "Service unavailable.",
                                                       "extensions": {"code": "REQUEST_TIMEOUT"}}]}))
        else:
            route.continue_()

    page.route("**/graphql?*", outage)
    page.goto(s.server.url("/#/family/mistral-small"))
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Service unavailable." in alert.inner_text() and "REQUEST_TIMEOUT" in alert.inner_text()
    s.shot("error")
    failing["on"] = False
    page.get_by_role("button", name="Retry").click()
    page.get_by_role("heading", level=1, name="Mistral Small").wait_for()
    s.errors = [e for e in s.errors if "503" not in e]  # the browser logs the failed fetch itself
