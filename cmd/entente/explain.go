package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/entente/entente/results/explain"
)

func init() { extraCommands = append(extraCommands, newExplainCmd) }

func newExplainCmd(v *viper.Viper, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "explain DIR [--actor ID [--step S] [--partner ID]]",
		Short: "Tell why the actors chose what they did, from a run's decisions.csv",
		Long: `Tell, in words and across replicates, what an actor did in a run and which
terms of its utility drove it. The run must have been made with
'entente run ... --explain ID' (or --explain all), which writes decisions.csv:
every option the actor weighed at each opportunity, its change in utility by
term (security, economy, similarity, trust, ...), the probability the model
gave it, whether it was chosen and carried out, and the other side's consent.

For each option the actor took: how often and in how many replicates, the
mean change in utility with the terms that drove it and those that weighed
against, and how often the other side agreed. Then the options it weighed
most and passed up, and what weighs in its choices: each term's mean size
over every option it weighed, in temperatures (a term a small fraction of a
temperature moves its choices little, whatever its sign). --step keeps one step, --partner the options with one
partner.

Without --actor, the whole run: for each kind of option (a new tie, an
offer of assistance, convening a group, abandoning a tie, ...) how often the
model drew it, how often what it drew had a utility above doing nothing and
was the best option weighed, and its mean utility, also in temperatures
(the logit's scale: an option's odds against another grow as
e^(difference/temperature)); then how the answers to the proposals went
against the answering side's own utility. It tells how much of a run its
utilities decided and how much the draw did; --csv writes that table as CSV
(kind, drawn, above_nothing, best, mean_utility, mean_behind_best,
temperature, answers, yes, yes_against, no_against).`,
		Example: `  entente run nordic-2022 --explain FIN,SWD --replicates 20 --out results/out/nordic
  entente explain results/out/nordic --actor FIN
  entente explain results/out/nordic --actor FIN --partner NATO
  entente explain results/out/nordic --actor SWD --step 12
  entente run baseline --explain all --replicates 4 --out results/out/baseline
  entente explain results/out/baseline
  entente explain results/out/baseline --csv > draws.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			actor, _ := cmd.Flags().GetString("actor")
			step, _ := cmd.Flags().GetInt("step")
			partner, _ := cmd.Flags().GetString("partner")
			asCSV, _ := cmd.Flags().GetBool("csv")
			if actor == "" {
				for _, f := range []string{"step", "partner"} {
					if cmd.Flags().Changed(f) {
						return fmt.Errorf("--%s needs --actor ID: the summary of the whole run (explain DIR alone) is over every step and partner", f)
					}
				}
				if asCSV {
					return explain.ReasonsCSV(stdout, args[0])
				}
				return explain.Reasons(stdout, args[0])
			}
			if asCSV {
				return fmt.Errorf("--csv is the summary of the whole run (explain DIR --csv): leave out --actor, or read %s, which has every option of %s, directly", "decisions.csv", actor)
			}
			switch {
			case !cmd.Flags().Changed("step"):
				step = -1 // every step
			case step < 0:
				return fmt.Errorf("--step %d: want a step of the run (0 or more), or leave --step out for every step", step)
			}
			return explain.Explain(stdout, args[0], explain.Query{Actor: actor, Step: step, Partner: partner})
		},
	}
	cmd.Flags().String("actor", "", "the actor to explain (its id; without it, the summary of the whole run)")
	cmd.Flags().Int("step", 0, "only this step (every step when left out)")
	cmd.Flags().String("partner", "", "only the options with this partner (actor id)")
	cmd.Flags().Bool("csv", false, "without --actor: write the summary's table as CSV (a row per kind of option) for pandas or R")
	return cmd
}
