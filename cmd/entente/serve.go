package main

import (
	"fmt"
	"io"
	"net"
	"os/exec"
	"runtime"
	"strconv"
	"strings"

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

// lanAddrs lists this computer's network addresses for students' join
// addresses; tests replace it.
var lanAddrs = classroom.LANAddrs

// intSetting reads a whole-number setting from its flag or ENTENTE_ variable,
// refusing what is not a whole number in [lo, hi] with the source named.
func intSetting(v *viper.Viper, cmd *cobra.Command, key, flag string, lo, hi int) (int, error) {
	raw := strings.TrimSpace(v.GetString(key))
	src := flagSource(cmd, flag)
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, fmt.Errorf("serve: %s must be a whole number, got %q", src, raw)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("serve: %s must be between %d and %d, got %d", src, lo, hi, n)
	}
	return n, nil
}

func newServeCmd(v *viper.Viper, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Classroom mode: a live run in the browser, alone or as a class on students' devices",
		Long: `Serve classroom mode: web pages, embedded in this binary, that run a
scenario live. Nothing is loaded from the network.

Alone (http://HOST:PORT/): pick a built-in scenario or open a scenario file;
play, pause, step and reset; move the sliders (each threat's intensity,
political and military retrenchment, temperature) while it runs; click an
actor to see its situation, its ties and its options with the model's
expected change in utility by term; export the picture (SVG, PNG) and the
metric series (CSV). Each browser tab has its own run.

As a class (--class SCENARIO, or "start a class" on the page of the computer
that runs the server): one shared run. The projector shows a join code, the
address students type and a QR code; students open /join on a phone or
laptop, type the code and a name, and get a state (they pick a free one, or
the teacher assigns them with --mode teacher). Every step is a round: each
student sees the state's situation in plain words and its options with what
the model expects of each, and chooses before the timer (--timer) runs out;
a student who does not choose gets the model's choice, and a student whose
state is asked to consent to another's proposal answers on the device.
States no student holds follow the model. The teacher moves the threats and
the retrenchment, pauses, advances, restarts and replays; the debrief shows
the students' decisions beside the model's, each state's outcome and the
metrics over time, with CSV files to download.

The server listens on this computer only by default. For a classroom, listen
on the network with --addr 0.0.0.0:8080: it prints the addresses students
type. It answers only to its own addresses and names (add one with --host,
e.g. a name your network gives this computer), refuses requests from other
sites' pages, and gives the teacher and each student their own token, so a
student can act only for the state the student holds. Ctrl-C stops it.`,
		Example: `  entente serve                                  then open http://127.0.0.1:8080/
  entente serve --open                           and open the default browser
  entente serve --addr 0.0.0.0:8080 --class classroom
                                                 a class on the classroom network
  entente serve --addr 0.0.0.0:8080 --class baseline --mode teacher --timer 90
  entente serve --addr 0.0.0.0:8080 --host teacher-laptop.local --class my/world.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			addr := v.GetString("serve.addr")
			open := v.GetBool("serve.open")
			ref := strings.TrimSpace(v.GetString("serve.class"))
			mode := v.GetString("serve.mode")
			if mode != "pick" && mode != "teacher" {
				return fmt.Errorf("serve: --mode must be pick (students pick a free state) or teacher (you assign them), got %q", mode)
			}
			timer, err := intSetting(v, cmd, "serve.timer", "timer", 5, 600)
			if err != nil {
				return err
			}
			seed, err := intSetting(v, cmd, "serve.seed", "seed", 0, 1<<53)
			if err != nil {
				return err
			}
			maxSessions, err := intSetting(v, cmd, "serve.max-sessions", "max-sessions", 1, 10000)
			if err != nil {
				return err
			}
			maxClasses, err := intSetting(v, cmd, "serve.max-classes", "max-classes", 1, 100)
			if err != nil {
				return err
			}
			classSize, err := intSetting(v, cmd, "serve.class-size", "class-size", 1, 500)
			if err != nil {
				return err
			}
			hosts := v.GetStringSlice("serve.host")
			for _, h := range hosts {
				if h == "" || strings.ContainsAny(h, "/ :@") {
					return fmt.Errorf("serve: --host takes a host name without port or scheme (e.g. teacher-laptop.local), got %q", h)
				}
			}
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
			loopback := ip != nil && ip.IsLoopback()
			if !loopback {
				fmt.Fprintf(stderr, "entente: warning: listening on %s, not only this computer: anyone on the network can open classroom mode (a class still needs its code, and every act its token)\n", ln.Addr())
			}
			srv := classroom.New(classroom.Options{
				MaxSessions: maxSessions, MaxClasses: maxClasses, ClassSize: classSize,
				Hosts: hosts, AnyTeacher: v.GetBool("serve.any-teacher"), ListenAddr: ln.Addr(), Interfaces: lanAddrs,
				Logf: func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) },
			})
			fmt.Fprintf(stdout, "classroom mode at %s (Ctrl-C to stop)\n", url)
			if !loopback {
				for _, a := range lanAddrs() {
					fmt.Fprintf(stdout, "  on the network: http://%s/\n", net.JoinHostPort(a.String(), port))
				}
			}
			open1 := url
			if ref != "" {
				code, teacher, err := srv.StartClass(ref, uint64(seed), mode, timer)
				if err != nil {
					ln.Close()
					return fmt.Errorf("serve: --class %s: %w", ref, err)
				}
				shown := code[:3] + "-" + code[3:]
				who := "students pick their states"
				if mode == "teacher" {
					who = "you assign the states"
				}
				fmt.Fprintf(stdout, "class %s on %s: %s, %d s rounds\n", shown, ref, who, timer)
				open1 = url + "class.html#code=" + code + "&teacher=" + teacher
				fmt.Fprintf(stdout, "  teacher (keep this link to yourself): %s\n", open1)
				fmt.Fprintf(stdout, "  projector: %sclass.html#code=%s\n", url, code)
				urls, reachable := srv.JoinURLs(code)
				if reachable {
					for i, u := range urls {
						lead := "  students open "
						if i > 0 {
							lead = "            or "
						}
						fmt.Fprintf(stdout, "%s%s\n", lead, u)
					}
					fmt.Fprintf(stdout, "  (or scan the QR code on the projector; the code is %s)\n", shown)
				} else if len(urls) == 0 {
					// every address of a computer that has none on a network
					fmt.Fprintf(stdout, "  students: no address to open yet (the code is %s)\n", shown)
					fmt.Fprintf(stderr, "entente: warning: the server listens on %s, but this computer has no network address, so students' devices cannot reach it; connect it to the classroom network and reload the projector's page, or restart with --host NAME (a name students' devices reach this computer by) or --addr ADDRESS:%s\n", ln.Addr(), port)
				} else {
					fmt.Fprintf(stdout, "  students on this computer only: %s\n", urls[0])
					fmt.Fprintf(stderr, "entente: warning: the server listens on %s only, so students' devices cannot reach it; restart with --addr 0.0.0.0:%s for a classroom network\n", host, port)
				}
			}
			if open {
				if err := openBrowser(open1); err != nil {
					fmt.Fprintf(stderr, "entente: warning: could not open a browser (%v); open %s yourself\n", err, open1)
				}
			}
			if err := srv.Serve(cmd.Context(), ln); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "classroom mode stopped")
			return nil
		},
	}
	f := cmd.Flags()
	f.String("addr", "127.0.0.1:8080", "address to listen on (host:port); 0.0.0.0:8080 for a classroom network")
	f.Bool("open", false, "open the page (the teacher's page with --class) in the default browser")
	f.String("class", "", "start a class on this scenario (a built-in name or a scenario file) and print its join code and the teacher's link")
	f.String("mode", "pick", "how students get their states: pick (from the free ones) or teacher (you assign them)")
	f.String("timer", "60", "seconds per round, 5 to 600 (the teacher can change it during the class)")
	f.String("seed", "1", "the class run's seed (the same seed and the same choices give the same run)")
	f.String("max-sessions", "50", "solo runs (browser tabs) at once")
	f.String("max-classes", "4", "classes at once")
	f.String("class-size", "40", "students per class")
	f.StringSlice("host", nil, "another host name to answer to (repeatable), e.g. a name your network gives this computer")
	f.Bool("any-teacher", false, "let any machine that reaches the server start a class from the page (default: only this computer)")
	bindFlags(v, cmd, "serve", "addr", "open", "class", "mode", "timer", "seed", "max-sessions", "max-classes", "class-size", "host", "any-teacher")
	return cmd
}
