# CreatorCloud: every target uses the virtual environment in .venv (made by `make venv`).
SHELL := /bin/bash
PYTHON_BOOTSTRAP := $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
AWS_PORT ?= 4566
EMULATOR := PYTHONPATH=tools $(PY) -m creatorcloud_emulator --port $(AWS_PORT)
GATEWAY := PYTHONPATH=tools $(PY) -m creatorcloud_gateway
STRIPE := PYTHONPATH=tools $(PY) -m creatorcloud_stripe
STRIPE_PORT ?= 12111
# Where the gateways' payment functions find Stripe, and who forwards each creator's events to its gateway.
STRIPE_URL := http://127.0.0.1:$(STRIPE_PORT)
CREATOR ?= creator1
export CREATORCLOUD_AWS_ENDPOINT ?= http://127.0.0.1:$(AWS_PORT)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
PYTEST_WORKERS ?= 2
# Workers of the integration tests (CI: 2 cores; the run used 1.3 cores on average, so 3 may pay off: not yet measured).
INTEGRATION_WORKERS ?= 2

.PHONY: venv node demo test test-steps unit backend integration emulator-tests e2e browser lint ruff ansible-lint sanity molecule galaxy-importer bench \
	ffmpeg aws-up aws-down serve gateway-down live-stream mail group stripe-up stripe-down stripe-tests clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-sanity.txt constraints.txt
	test -x $(PY) || $(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-sanity.txt -c constraints.txt
	touch $@

# Node.js and npm bundle the live and chat features' scripts when a site is built (files/frontend/package.json).
node:
	bash tools/install_node.sh

aws-up: venv
	$(EMULATOR) up

aws-down: venv
	-$(GATEWAY) down
	-$(STRIPE) down
	$(EMULATOR) down

serve: venv aws-up stripe-up
	$(GATEWAY) up --creator $(CREATOR) --stripe-url $(STRIPE_URL)

gateway-down: venv
	$(GATEWAY) down

# A local test stream as creator $(CREATOR)'s channel (ffmpeg's test picture), shown by its live page; Ctrl-C stops it.
live-stream: ffmpeg
	bash tools/live_stream.sh $(CREATOR)

# The local stand-in for Stripe's API, hosted checkout and webhooks (tools/creatorcloud_stripe, docs/payments-local.md).
stripe-up: venv
	$(STRIPE) up --port $(STRIPE_PORT)

stripe-down: venv
	$(STRIPE) down

# A fan of the local stack into a group of creator $(CREATOR)'s pool: TO=address, GROUP=door (the check-in page),
# moderator, admin, premium or member. The fan signs in again to get a token that names it.
group: venv
	$(PY) tools/local_group.py --creator $(CREATOR) --email $(TO) --group $(or $(GROUP),door)

# The mails the emulated Cognito "sent" (sign-up codes, password resets, invitations): TO=address for one.
mail: venv
	$(EMULATOR) mail $(if $(TO),--to $(TO))

demo: venv node aws-up
	$(VENV)/bin/ansible-playbook playbooks/bootstrap_organization.yml
	$(VENV)/bin/ansible-playbook playbooks/onboard.yml
	$(VENV)/bin/ansible-inventory -i inventories/local --graph
	$(STRIPE) up --port $(STRIPE_PORT)
	$(GATEWAY) up --creator creator1 --stripe-url $(STRIPE_URL)
	$(GATEWAY) up --creator creator2 --stripe-url $(STRIPE_URL)
	@echo
	@echo "The emulator keeps running on $(CREATORCLOUD_AWS_ENDPOINT), the local gateways too: go on with"
	@echo "  . $(VENV)/bin/activate && ansible-inventory -i inventories/local --graph"
	@echo "  ansible-playbook playbooks/onboard.yml -l creator1 --check --diff"
	@echo "  make serve CREATOR=creator2"
	@echo "  make mail TO=you@example.com     # the confirmation code after signing up on a site"
	@echo "A fan who signed up can buy in creator1's shop, and become a member of and donate to creator1 and"
	@echo "creator2: the checkout is the local Stripe stand-in on $(STRIPE_URL) (test mode, no real money; Pay"
	@echo "always succeeds with the test card 4242 4242 4242 4242), and its events reach each creator's gateway:"
	@echo "  $(STRIPE) events --port $(STRIPE_PORT)     # every event and its delivery"
	@echo "creator1's events page sells tickets (the free meet-up needs no payment); to check them in at"
	@echo "door.html, make a fan door staff: make group TO=you@example.com GROUP=door"
	@echo "and stop everything (emulator, gateways, stand-in) with: make aws-down"
	@echo
	@echo "creator1's site: $$($(GATEWAY) url --creator creator1)"

# The steps of `make test`, in order; .ci/run runs them one by one to report the minutes of each.
TEST_STEPS := lint unit backend emulator-tests stripe-tests integration e2e sanity molecule galaxy-importer

test: $(TEST_STEPS)

test-steps:
	@echo $(TEST_STEPS)

lint: ruff ansible-lint

ruff: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Its syntax checks load the inventory: tests/lint/inventory.yml, as the default one needs a running emulator.
ansible-lint: venv
	ANSIBLE_INVENTORY=$(CURDIR)/tests/lint/inventory.yml $(VENV)/bin/ansible-lint --profile production

unit: venv node
	$(PY) -m pytest tests/unit -q

backend: venv
	$(PY) -m pytest tests/backend -q -n $(PYTEST_WORKERS)

emulator-tests: venv
	$(PY) -m pytest tests/emulator -q -n $(PYTEST_WORKERS)

stripe-tests: venv
	$(PY) -m pytest tests/stripe_standin -q -n $(PYTEST_WORKERS)

# worksteal: an idle worker takes tests queued for the other, so a few long tests at the end do not leave one idle.
integration: venv node
	$(PY) -m pytest tests/integration -q -n $(INTEGRATION_WORKERS) --dist worksteal --durations=15

browser:
	bash tools/install_debian_package.sh chromium chromium

# ffmpeg encodes the live page's local test stream (make live-stream, and a browser test).
ffmpeg:
	bash tools/install_debian_package.sh ffmpeg ffmpeg

e2e: venv node browser ffmpeg
	$(PY) -m pytest tests/e2e -q -n $(PYTEST_WORKERS) --durations=10

sanity: venv
	bash tools/ansible_test_sanity.sh

molecule: venv node
	bash tools/molecule.sh

# Galaxy's import checks on the built collection, in their own venv (.venv-galaxy, requirements-galaxy.txt).
galaxy-importer: venv
	bash tools/galaxy_importer.sh

bench: venv node
	$(PY) tools/bench.py --playbook playbooks/onboard.yml --inventory inventories/local
	$(PY) tools/bench_publish.py
	$(PY) tools/bench_backend.py
	$(PY) tools/bench_chat.py
	$(PY) tools/bench_tickets.py
	$(PY) tools/bench_restore.py
	$(PY) tools/bench_update.py

clean:
	-$(GATEWAY) down
	-$(STRIPE) down
	-$(EMULATOR) down
	rm -rf .emulator .gateway .stripe .pytest_cache .ruff_cache tests/output
