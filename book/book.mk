# The course as a static site: `make book`, then open book/_build/html/index.html,
# or `make book-serve` for http://127.0.0.1:8000 (BOOK_PORT=...). Built from the notebooks'
# committed outputs (nothing is run) by Sphinx + MyST-NB + the Sphinx Book Theme (book/conf.py).

BOOK_INSTALLED := $(VENV)/.book-installed
BOOK_PORT ?= 8000

.PHONY: book book-serve

book: setup $(BOOK_INSTALLED)
	$(BIN)/python book/build.py --out book/_build --quiet

# Once per virtualenv, and again whenever book/requirements.txt changes; held to the course's
# constraints, so that the site's packages never move one the notebooks were made with.
$(BOOK_INSTALLED): book/requirements.txt $(INSTALLED)
	$(BIN)/python -m pip install --quiet -r book/requirements.txt $(if $(wildcard constraints.txt),-c constraints.txt)
	touch $@

book-serve: book
	@echo "Serving the site on http://127.0.0.1:$(BOOK_PORT)/ (Ctrl+C stops it)"
	$(BIN)/python -m http.server $(BOOK_PORT) --bind 127.0.0.1 --directory book/_build/html
