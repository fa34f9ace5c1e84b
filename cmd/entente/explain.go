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
		Use:   "explain DIR --actor ID [--step S] [--partner ID]",
		Short: "Tell why an actor chose what it did, from a run's decisions.csv",
		Long: `Tell, in words and across replicates, what an actor did in a run and which
terms of its utility drove it. The run must have been made with
'entente run ... --explain ID' (or --explain all), which writes decisions.csv:
every option the actor weighed at each opportunity, its change in utility by
term (security, economy, similarity, trust, ...), the probability the model
gave it, whether it was chosen and carried out, and the other side's consent.

For each option the actor took: how often and in how many replicates, the
mean change in utility with the terms that drove it and those that weighed
against, and how often the other side agreed. Then the options it weighed
most and passed up. --step keeps one step, --partner the options with one
partner.`,
		Example: `  entente run nordic-2022 --explain FIN,SWD --replicates 20 --out results/out/nordic
  entente explain results/out/nordic --actor FIN
  entente explain results/out/nordic --actor FIN --partner NATO
  entente explain results/out/nordic --actor SWD --step 12`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			actor, _ := cmd.Flags().GetString("actor")
			step, _ := cmd.Flags().GetInt("step")
			partner, _ := cmd.Flags().GetString("partner")
			switch {
			case !cmd.Flags().Changed("step"):
				step = -1 // every step
			case step < 0:
				return fmt.Errorf("--step %d: want a step of the run (0 or more), or leave --step out for every step", step)
			}
			return explain.Explain(stdout, args[0], explain.Query{Actor: actor, Step: step, Partner: partner})
		},
	}
	cmd.Flags().String("actor", "", "the actor to explain (its id; required)")
	cmd.Flags().Int("step", 0, "only this step (every step when left out)")
	cmd.Flags().String("partner", "", "only the options with this partner (actor id)")
	_ = cmd.MarkFlagRequired("actor")
	return cmd
}
