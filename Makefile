# The two set-up commands of README.rst: `make demo` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
DEMO_DIR ?= $(CURDIR)/.demo
SYSTEM_PACKAGES := fping iproute2 rpm rpmlint chromium chromium-driver mariadb-server postgresql
SYSTEM_COMMANDS := fping ip rpmbuild rpmlint chromium chromedriver mariadbd pg_ctlcluster

.PHONY: venv system-packages test demo rpm sample-config dashboard-policy pep8 clean mutation

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt test-requirements.txt setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip setuptools wheel
	$(PY) -m pip install -q -r requirements.txt -r test-requirements.txt -e .
	touch $@

# Debian/Ubuntu names; CI runs as root on Debian.
system-packages:
	@missing=""; for c in $(SYSTEM_COMMANDS); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages (missing:$$missing)"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES); \
	fi

# The style gate first, as OpenStack's gate runs pep8 before the tests.
test: venv system-packages
	$(PY) -m flake8
	$(PY) -m pytest tests

# DEMO_ARGS: more options of tools/demo.py, e.g. --exit-when-ready.
DEMO_ARGS ?=
demo: venv
	$(PY) tools/demo.py --dir $(DEMO_DIR) $(DEMO_ARGS)

sample-config: venv
	$(VENV)/bin/oslo-config-generator --config-file etc/multios/multios-config-generator.conf

# The API's policy defaults as Horizon reads them (its own generator).
dashboard-policy: venv
	DJANGO_SETTINGS_MODULE=openstack_dashboard.test.settings $(PY) -m django \
	    dump_default_policies --namespace multios \
	    --output-file multios_dashboard/conf/default_policies/multios.yaml

rpm: venv system-packages
	$(MAKE) -C rpm

pep8: venv
	$(PY) -m flake8

clean:
	-$(MAKE) -C rpm clean
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .demo test-artifacts

# Mutation testing of the core (tools/mutation.py): long, not part of test.
mutation: venv
	$(PY) -m pip install -q cosmic-ray
	$(PY) tools/mutation.py $(MUTATION_TARGETS)
