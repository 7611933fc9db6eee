# Kabinet — the two commands that matter: `make run` and `make test`. See README.md.
SHELL := /bin/bash
ROOT  := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
GO    ?= go

.PHONY: run run-fresh test unit build bench test-localstack install fmt vet clean abs-replay

## run: the whole API on localhost with its local AWS stack and simulators (FRESH=1 wipes the data)
run:
	cd $(ROOT) && $(GO) build -o bin/kabinet-local ./infra/cmd/kabinet-local && exec bin/kabinet-local $(if $(FRESH),-fresh)

run-fresh:
	$(MAKE) run FRESH=1

## test: unit, integration (against emulators it starts itself) and route-truth tests
test:
	cd $(ROOT) && $(GO) vet ./... && $(GO) run ./infra/cmd/localcloud exec -- $(GO) test -count=1 ./...

## unit: only the tests that need no emulators (they fail, saying so, otherwise)
unit:
	cd $(ROOT) && $(GO) test -count=1 ./shared/platform/... ./shared/phone/... ./shared/otp/... ./shared/password/... ./infra/samtemplate/...

## build: every function as linux/arm64 bootstrap under bin/, with sizes
build:
	cd $(ROOT) && $(GO) run ./infra/cmd/fnbuild -out bin

## bench: handler overhead, registration vs raw PutItem, login, application list over 10 000 applications (RCU per page), the bank's applicationList over 100 000, binary sizes
bench:
	cd $(ROOT) && bash infra/bench/run.sh

## test-localstack: the integration suite against LocalStack (needs a Docker engine)
test-localstack:
	cd $(ROOT) && bash localstack/test.sh

## abs-replay: move the ABS calls of AbsDeadLetterQueue back to AbsQueue (E13) once the ABS is back; the queues of `make run`, or QUEUE=<url> DLQ=<url> with the SDK's credentials
abs-replay:
	cd $(ROOT) && $(GO) run ./infra/cmd/abs-replay $(if $(DLQ),-queue '$(QUEUE)' -dlq '$(DLQ)',-local)

## install: the pinned local emulators into .local/ (make run and make test do it themselves)
install:
	cd $(ROOT) && $(GO) run ./infra/cmd/localcloud install

fmt:
	cd $(ROOT) && gofmt -w functions shared infra

vet:
	cd $(ROOT) && $(GO) vet ./...

clean:
	rm -rf $(ROOT)/bin $(ROOT)/.aws-sam

# sam build (BuildMethod: makefile) calls build-<LogicalId> with ARTIFACTS_DIR set.
build-%:
	cd $(ROOT) && $(GO) run ./infra/cmd/fnbuild -id $* -out "$(ARTIFACTS_DIR)"
