# orgd — two commands do everything on a fresh Debian 12 machine:
#   make run    install what is missing, build, start orgd on SQLite in ./data
#   make test   install what is missing, build, run every test
#   make demo   build, start orgd and the example app (examples/demo) on http://127.0.0.1:3000
# Also: make build, make bench, make bench-scale, make bench-stores, make bench-instructions,
# make bench-invitations, make bench-tokens, make bench-webhooks, make bench-frontend, make clean.
# The long forms of the reliability suite (docs/RELIABILITY.md; `make test` runs short forms):
# make test-crash, make fuzz, make test-sanitize, make test-hostile, make test-abuse.

BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run demo test unit-test compat-test test-crash fuzz test-sanitize test-hostile test-abuse bench bench-scale bench-stores bench-instructions bench-invitations bench-tokens bench-webhooks bench-frontend clean

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

# 20 SIGKILL cycles on SQLite, 20 of orgd and 20 of PostgreSQL's postmaster on PostgreSQL.
test-crash: build
	@bash scripts/test-crash.sh --cycles 20

# Every libFuzzer target for 120 s (scripts/fuzz.sh --runs 10000000 for the documented long run).
fuzz: deps
	@bash scripts/fuzz.sh --seconds 120

# ASan+UBSan: CTest and the SDK suite on both stores; TSan: the threaded test binaries
# (make test runs the short form: ASan on the SDK suite on SQLite only, TSan on the threaded
# test binaries without the SDK suite).
test-sanitize: deps
	@bash scripts/test-sanitize.sh

test-hostile: build
	@bash scripts/test-hostile.sh --postgres

test-abuse: build
	@bash scripts/test-abuse.sh

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
