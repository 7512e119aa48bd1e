# orgd — two commands do everything on a fresh Debian 12 machine:
#   make run    install what is missing, build, start orgd on SQLite in ./data
#   make test   install what is missing, build, run every test
#   make demo   build, start orgd and the example app (examples/demo) on http://127.0.0.1:3000
# Also: make build, make bench, make bench-scale, make bench-stores, make bench-instructions,
# make bench-invitations, make bench-tokens, make bench-webhooks, make bench-frontend, make clean.

BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run demo test unit-test compat-test bench bench-scale bench-stores bench-instructions bench-invitations bench-tokens bench-webhooks bench-frontend clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	@ninja -C $(BUILD_DIR) -j $(JOBS)

run: build
	@bash scripts/run.sh

demo: build
	@bash scripts/demo.sh

test: build
	@bash scripts/test.sh

bench: build
	@bash bench/run.sh

bench-scale: build
	@bash bench/scale.sh

bench-stores: build
	@bash bench/stores.sh

bench-instructions: build
	@bash bench/instructions.sh

bench-invitations: build
	@bash bench/invitations.sh

bench-tokens: build
	@bash bench/tokens.sh

bench-webhooks: build
	@bash bench/webhooks.sh

bench-frontend: build
	@bash bench/frontend.sh

clean:
	rm -rf $(BUILD_DIR)
