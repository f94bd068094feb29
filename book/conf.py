"""Sphinx settings for the course's site (`make book`; book/build.py lays out the sources).

Every page is read from a notebook's committed outputs, and everything a page loads is
served by the site itself: no fonts, scripts or MathJax from elsewhere.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

REPOSITORY = "https://github.com/autograd-lab/autograd-lab"

project = "Autograd Lab"
author = "the Autograd Lab authors"
copyright = "the Autograd Lab authors"
language = "en"
root_doc = "index"

extensions = [
    "myst_nb",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax 3 copied into _static/mathjax instead of a CDN
    "html_anchors",
    "widget_stills",
    "launch_links",
    "svg_alt",  # each graph picture's <img> gets the text alternative its SVG holds
    "live_views",  # the widgets that left a record, live in the browser (book/live.py)
]

# The notebooks are shown as committed: never run, never cached.
nb_execution_mode = "off"
nb_merge_streams = True
# No notebook keeps widget state (see the Makefile's `notebooks` target), so ipywidgets'
# JavaScript would have nothing to draw; and it would come from a CDN.
nb_ipywidgets_js = {}
# Output pictures carry no description of their own (their text repr is an object address).
nb_render_image_options = {"alt": "A picture drawn by the code above"}
myst_enable_extensions = ["dollarmath"]
# "#leaf-rule"-style links point at headings and anchors inside a notebook.
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_favicon = "_static/favicon.svg"
# The theme reads its light/dark mode from here; left empty it logs "invalid theme mode".
html_context = {"default_mode": "auto"}
html_title = "Autograd Lab"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_last_updated_fmt = None
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": "main",
    "path_to_docs": "notebooks",
    "use_repository_button": True,
    "use_download_button": True,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    # The sidebar has the search field; the header would repeat it.
    "navbar_persistent": [],
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
}
