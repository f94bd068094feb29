"""The graph lab as a Voila page: flip a switch, replay the backward pass, switch graphs."""

from playwright.sync_api import expect


def test_voila_app_switches_and_steps(voila_app, page, artifacts):
    page.goto(voila_app, timeout=120_000)
    app = page.locator(".autograd-lab-app").first
    expect(app).to_be_visible(timeout=120_000)
    explorer = app.locator(".autograd-lab-explorer")
    view = explorer.locator(".agl-view")
    expect(view.locator("g.node", has_text="MulBackward0").first).to_be_visible(timeout=60_000)
    table = explorer.locator("table.autograd-lab-grads")
    expect(table).to_contain_text("4")  # a.grad of the first example

    explorer.get_by_label("a requires grad").uncheck()
    explorer.get_by_role("button", name="Run it").click()  # without a tick: the prediction is "none"
    expect(explorer.locator(".autograd-lab-predict")).to_contain_text("right", timeout=20_000)
    expect(table).to_contain_text("requires_grad=False", timeout=20_000)
    expect(view.locator("g.node", has_text="no grad").first).to_be_visible(timeout=20_000)
    expect(view.locator("g.node.agl-ghost").first).to_be_attached()
    page.screenshot(path=str(artifacts / "app-switch.png"))

    app.get_by_role("tab", name="Backward pass").click()
    stepper = app.locator(".autograd-lab-stepper")
    controls = stepper.locator(".agl-controls")
    expect(controls).to_contain_text("step 1 of", timeout=20_000)
    stepper.get_by_role("button", name="Next").click()
    expect(controls).to_contain_text("step 2 of", timeout=20_000)
    page.screenshot(path=str(artifacts / "app-step.png"))

    app.locator("select").select_option(label="02 · r = (z (x + y²))²")
    try:
        expect(stepper.locator("g.node", has_text="r = 400").first).to_be_visible(timeout=20_000)
    except AssertionError:
        page.screenshot(path=str(artifacts / "app-second-graph-failed.png"))
        raise
    expect(stepper.locator(".agl-chain")).to_contain_text("∂r/∂r = 1")
    stepper.get_by_role("button", name="Next").click()
    expect(stepper.locator(".agl-chain")).to_contain_text("40 × 5 = 200", timeout=20_000)
    page.screenshot(path=str(artifacts / "app-chain-rule.png"))


def test_voila_playground_takes_an_expression(voila_app, page, artifacts):
    page.goto(voila_app, timeout=120_000)
    playground = page.locator(".autograd-lab-playground")
    expect(playground).to_be_visible(timeout=120_000)
    view = playground.locator(".autograd-lab-explorer .agl-view")
    expect(view.locator("g.node", has_text="PowBackward0").first).to_be_visible(timeout=60_000)
    box = playground.get_by_role("textbox")
    box.fill("sin(x) * y")
    box.press("Enter")
    expect(view.locator("g.node", has_text="SinBackward0").first).to_be_visible(timeout=20_000)
    box.fill("x.__class__")
    box.press("Enter")
    expect(playground).to_contain_text("attribute access", timeout=20_000)
    page.screenshot(path=str(artifacts / "app-playground-refused.png"))


def test_the_app_is_usable_on_a_phone(voila_app, browser, artifacts):
    context = browser.new_context(viewport={"width": 400, "height": 800})
    page = context.new_page()
    try:
        page.goto(voila_app, timeout=120_000)
        view = page.locator(".autograd-lab-app .autograd-lab-explorer .agl-view").first
        expect(view.locator("g.node").first).to_be_visible(timeout=120_000)
        box = view.bounding_box()
        assert box["width"] <= 400 and box["height"] > 100, box
        page.screenshot(path=str(artifacts / "app-phone.png"), full_page=True)
    finally:
        context.close()
