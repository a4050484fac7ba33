# The two commands a newcomer needs (see README.md):
#   make run    build and serve the map with the sample Nabari data on http://127.0.0.1:8080/
#   make test   every check CI runs: format, lints, Rust tests, GDAL and browser tests

.PHONY: run test lint rust-test browser-test

WEB_DEPS := web/node_modules/.package-lock.json
BROWSER_DEPS := tests/browser/node_modules/.package-lock.json

run: $(WEB_DEPS)
	cargo run --release -- serve

test: lint rust-test browser-test

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings

# The integration tests run twice: on SQLite (the default) and on PostgreSQL.
rust-test: $(WEB_DEPS)
	cargo test
	scripts/with-postgres cargo test --tests

browser-test: $(WEB_DEPS) $(BROWSER_DEPS)
	cargo build
	npm test --prefix tests/browser

# Leaflet and its plugins come from npm (web/package-lock.json), never from the repo.
$(WEB_DEPS): web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund

$(BROWSER_DEPS): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
