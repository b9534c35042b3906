package commands

// CONFIG <GET pattern [pattern ...] | SET name value [name value ...] |
// RESETSTAT | REWRITE | HELP> — https://redis.io/commands/config/
//
// The options themselves (names, parsing, error texts, what is mutable)
// belong to the server (Host.ConfigGet/ConfigSet/ConfigRewrite).
var configCommand = &Command{
	Name: "config", Arity: -2,
	Categories: "slow", Group: "server", Since: "2.0.0",
	Summary: "A container for server configuration commands", Complexity: "Depends on subcommand.",
	Help: []string{
		"GET <pattern>",
		"    Return parameters matching the glob-like <pattern> and their values.",
		"SET <directive> <value>",
		"    Set the configuration <directive> to <value>.",
		"RESETSTAT",
		"    Reset statistics reported by the INFO command.",
		"REWRITE",
		"    Rewrite the configuration file.",
	},
	Subcommands: []*Command{
		{
			Name: "get", Arity: -3, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "2.0.0",
			Summary:    "Get the values of configuration parameters",
			Complexity: "O(N) when N is the number of configuration parameters provided",
			Syntax:     "parameter [parameter ...]", Run: runConfigGet,
		},
		{
			Name: "set", Arity: -4, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "2.0.0",
			Summary:    "Set configuration parameters to the given values",
			Complexity: "O(N) when N is the number of configuration parameters provided",
			Syntax:     "parameter value [parameter value ...]", Run: runConfigSet,
		},
		{
			Name: "resetstat", Arity: 2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "2.0.0",
			Summary: "Reset the stats returned by INFO", Complexity: "O(1)",
			Run: func(ctx *Context) {
				ctx.Host.ResetStats()
				OK(ctx.Out)
			},
		},
		{
			Name: "rewrite", Arity: 2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "2.8.0",
			Summary: "Rewrite the configuration file with the in memory configuration", Complexity: "O(1)",
			Run: func(ctx *Context) {
				if err := ctx.Host.ConfigRewrite(); err != nil {
					ctx.Fail(err)
					return
				}
				OK(ctx.Out)
			},
		},
		helpSubcommand("slow", "5.0.0"),
	},
}

func runConfigGet(ctx *Context) {
	patterns := make([]string, len(ctx.Args)-2)
	for i, p := range ctx.Args[2:] {
		patterns[i] = string(p)
	}
	pairs := ctx.Host.ConfigGet(patterns)
	ctx.Out.Map(len(pairs))
	for _, p := range pairs {
		ctx.Out.BulkString(p[0])
		ctx.Out.BulkString(p[1])
	}
}

// parseConfigSet pairs CONFIG SET's arguments: an odd count is a syntax
// error.
func parseConfigSet(args [][]byte) ([][2]string, error) {
	if len(args)%2 != 0 {
		return nil, ErrSyntax
	}
	pairs := make([][2]string, 0, (len(args)-2)/2)
	for i := 2; i+1 < len(args); i += 2 {
		pairs = append(pairs, [2]string{string(args[i]), string(args[i+1])})
	}
	return pairs, nil
}

func runConfigSet(ctx *Context) {
	pairs, err := parseConfigSet(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if err := ctx.Host.ConfigSet(pairs); err != nil {
		ctx.Fail(err)
		return
	}
	OK(ctx.Out)
}
