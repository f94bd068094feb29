"""The graph lab as a Voila page: flip a switch, step the backward pass, switch graphs."""
from playwright.sync_api import expect


def test_voila_app_switches_and_steps(voila_app, page, artifacts):
    page.goto(voila_app, timeout=120_000)
    app = page.locator(".autograd-lab-app").first
    expect(app).to_be_visible(timeout=120_000)
    explorer = app.locator(".autograd-lab-explorer")
    picture = explorer.locator("svg").first
    expect(picture).to_contain_text("MulBackward0")
    table = explorer.locator("table.autograd-lab-grads")
    expect(table).to_contain_text("4")  # a.grad of the first example
    before = picture.inner_html()

    explorer.get_by_label("a requires grad").uncheck()
    expect(table).to_contain_text("requires_grad=False", timeout=20_000)
    expect(explorer.locator("svg").first).to_contain_text("no grad")
    assert explorer.locator("svg").first.inner_html() != before
    page.screenshot(path=str(artifacts / "app-switch.png"))

    app.get_by_role("tab", name="Backward pass").click()
    stepper = app.locator(".autograd-lab-stepper")
    expect(stepper).to_be_visible()
    expect(stepper).to_contain_text("step 1 of")
    first_picture = stepper.locator("svg").first.inner_html()
    stepper.get_by_role("button", name="Next ▶").click()
    expect(stepper).to_contain_text("step 2 of", timeout=20_000)
    assert stepper.locator("svg").first.inner_html() != first_picture
    page.screenshot(path=str(artifacts / "app-step.png"))

    app.locator("select").select_option(label="02 · r = (z (x + y²))²")
    expect(stepper.locator("svg").first).to_contain_text("r = 400", timeout=20_000)
    expect(stepper).to_contain_text("∂r/∂r = 1")
    page.screenshot(path=str(artifacts / "app-second-graph.png"))
    stepper.get_by_role("button", name="Next ▶").click()
    expect(stepper).to_contain_text("40 × 5 = 200", timeout=20_000)
    page.screenshot(path=str(artifacts / "app-chain-rule.png"))


def test_voila_playground_takes_an_expression(voila_app, page):
    page.goto(voila_app, timeout=120_000)
    playground = page.locator(".autograd-lab-playground")
    expect(playground).to_be_visible(timeout=120_000)
    expect(playground.locator(".autograd-lab-explorer svg").first).to_contain_text("PowBackward0")
    box = playground.get_by_role("textbox")
    box.fill("sin(x) * y")
    box.press("Enter")
    expect(playground.locator(".autograd-lab-explorer svg").first).to_contain_text("SinBackward0", timeout=20_000)
    box.fill("x.__class__")
    box.press("Enter")
    expect(playground).to_contain_text("attribute access", timeout=20_000)
