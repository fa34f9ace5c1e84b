package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/entente/entente/results/charts"
	"github.com/entente/entente/results/report"
	"github.com/entente/entente/sim/sweep"
)

func init() { extraCommands = append(extraCommands, newMergeCmd) }

func newMergeCmd(v *viper.Viper, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "merge DIR... --out DIR",
		Short: "Combine the shards of a sweep into the files one machine would write",
		Long: `Combine the folders written by 'entente sweep --shard I/N' (all N of them)
into one sweep folder: every point's folder is copied and the top-level files
(sweep.json, points.csv, outcomes.csv, outcomes_summary.csv, morris.csv or
sobol.csv, timeseries.csv, charts/, report.html) are written exactly as one
machine running the whole sweep writes them. The shards must come from the same command (scenario, --vary, --design,
--seed, --replicates, --steps); every point must be complete in one of them.
--out must be a new or empty folder, not one of the shards: a folder that
holds a result set is refused, and --force replaces it (removing what it
held first).`,
		Example: `  entente merge sw-0 sw-1 sw-2 sw-3 --out sw
  entente merge shards/* --out sweep-all --charts=false`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("give the shard folders to merge: entente merge DIR... --out DIR")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			out, _ := cmd.Flags().GetString("out")
			if out == "" {
				return errors.New("--out: the folder to write the merged sweep to is required")
			}
			var draw sweep.ChartFunc
			if ok, _ := cmd.Flags().GetBool("charts"); ok {
				draw = charts.Sweep
			}
			merge := sweep.Merge
			if force, _ := cmd.Flags().GetBool("force"); force {
				merge = sweep.MergeReplace
			}
			rep, err := merge(out, args, draw)
			if err != nil {
				return err
			}
			sayFolder(stderr, rep.Folder, rep.Dir, 0, 0)
			page, err := report.Write(rep.Dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "merged %d folders: %d points x %d replicates\nwrote %s (%s)\nreport: %s\n", len(args), rep.Points,
				rep.Manifest.Replicates, rep.Dir, strings.Join(topLevel(rep.Manifest.Files), ", "), page)
			return nil
		},
	}
	cmd.Flags().String("out", "", "folder of the merged sweep (required)")
	cmd.Flags().Bool("charts", true, "draw the heat map and response charts (PNG and SVG)")
	cmd.Flags().Bool("force", false, "replace the result set in --out: remove what it held, then merge")
	return cmd
}
