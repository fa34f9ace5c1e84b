// Command entente simulates alliance dynamics: states, regional
// organisations and informal groups forming, deepening and abandoning
// security ties under threats and patron retrenchment. It is a thin shell
// over the library packages: scenarios (loading), sim (the engine),
// sim/runner (replicates on a worker pool), results (the result set).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
