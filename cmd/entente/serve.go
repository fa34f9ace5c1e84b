package main

import (
	"fmt"
	"io"
	"net"
	"os/exec"
	"runtime"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/entente/entente/cmd/classroom"
)

func init() {
	extraCommands = append(extraCommands, newServeCmd)
}

// openBrowser opens url in the default browser; tests replace it.
var openBrowser = func(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() //nolint:errcheck // reap the opener; its exit status does not matter
	return nil
}

func newServeCmd(v *viper.Viper, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Classroom mode: a live, steerable view of the alliance network in the browser",
		Long: `Serve classroom mode: a web page, embedded in this binary, that runs a
scenario live. Pick a built-in scenario or open a scenario file; play, pause,
step and reset; move the sliders (each threat's intensity, political and
military retrenchment, temperature) while it runs; click an actor to see its
ties, threats and recent decisions; export the picture (SVG, PNG) and the
metric series (CSV). The page loads nothing from the network.

Each browser tab has its own run; runs idle for 15 minutes are removed.
The server listens on the loopback interface by default. To let a classroom
network reach it, listen on all interfaces with --addr 0.0.0.0:8080 (anyone
on that network can then use it). Ctrl-C stops the server.`,
		Example: `  entente serve                      then open http://127.0.0.1:8080/
  entente serve --open               and open the default browser
  entente serve --addr 0.0.0.0:8080  for a classroom network (prints a warning)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			addr := v.GetString("serve.addr")
			open := v.GetBool("serve.open")
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("serve: %w", err)
			}
			host, port, _ := net.SplitHostPort(ln.Addr().String())
			ip := net.ParseIP(host)
			url := "http://" + ln.Addr().String() + "/"
			if ip != nil && ip.IsUnspecified() {
				url = "http://" + net.JoinHostPort("127.0.0.1", port) + "/"
			}
			if ip == nil || !ip.IsLoopback() {
				fmt.Fprintf(stderr, "entente: warning: listening on %s, not only this computer: anyone on the network can use classroom mode\n", ln.Addr())
			}
			fmt.Fprintf(stdout, "classroom mode at %s (Ctrl-C to stop)\n", url)
			if open {
				if err := openBrowser(url); err != nil {
					fmt.Fprintf(stderr, "entente: warning: could not open a browser (%v); open %s yourself\n", err, url)
				}
			}
			srv := classroom.New(classroom.Options{Logf: func(format string, a ...any) {
				fmt.Fprintf(stderr, format+"\n", a...)
			}})
			if err := srv.Serve(cmd.Context(), ln); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "classroom mode stopped")
			return nil
		},
	}
	f := cmd.Flags()
	f.String("addr", "127.0.0.1:8080", "address to listen on (host:port); 0.0.0.0:8080 for a classroom network")
	f.Bool("open", false, "open the page in the default browser")
	bindFlags(v, cmd, "serve", "addr", "open")
	return cmd
}
