package commands

// FUNCTION <subcommand> — https://redis.io/commands/function/
//
// Spool runs no scripts: it has no function engine, so there never is a
// library. The subcommands that make sense without one answer exactly as
// Redis does with no library loaded (FLUSH succeeds, LIST is empty, DELETE
// finds nothing, KILL finds nothing running); LOAD, DUMP, RESTORE and STATS
// are not served and get the unknown-subcommand error.
var functionCommand = &Command{
	Name: "function", Arity: -2,
	Categories: "slow", Group: "scripting", Since: "7.0.0",
	Summary: "A container for function commands", Complexity: "Depends on subcommand.",
	Subcommands: []*Command{
		// FUNCTION FLUSH [ASYNC | SYNC] — https://redis.io/commands/function-flush/
		{
			Name: "flush", Arity: -2, Flags: FlagWrite | FlagNoScript,
			Categories: "write slow scripting", Group: "scripting", Since: "7.0.0",
			Summary: "Deleting all functions", Complexity: "O(N) where N is the number of functions deleted",
			Syntax: "[ASYNC | SYNC]", Run: runFunctionFlush,
		},
		// FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
		// — https://redis.io/commands/function-list/
		{
			Name: "list", Arity: -2, Flags: FlagNoScript,
			Categories: "slow scripting", Group: "scripting", Since: "7.0.0",
			Summary: "List information about all the functions", Complexity: "O(N) where N is the number of functions",
			Syntax: "[LIBRARYNAME library-name-pattern] [WITHCODE]", Run: runFunctionList,
		},
		// FUNCTION DELETE library-name — https://redis.io/commands/function-delete/
		{
			Name: "delete", Arity: 3, Flags: FlagWrite | FlagNoScript,
			Categories: "write slow scripting", Group: "scripting", Since: "7.0.0",
			Summary: "Delete a function by name", Complexity: "O(1)",
			Syntax: "library-name", Run: func(ctx *Context) { ctx.Error(msgLibraryNotFound) },
		},
		// FUNCTION KILL — https://redis.io/commands/function-kill/
		{
			Name: "kill", Arity: 2, Flags: FlagNoScript | FlagAllowBusy,
			Categories: "slow scripting", Group: "scripting", Since: "7.0.0",
			Summary: "Kill the function currently in execution.", Complexity: "O(1)",
			Run: func(ctx *Context) { ctx.Error(msgNotBusy) },
		},
		helpSubcommand("slow scripting", "7.0.0"),
	},
	Help: []string{
		"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
		"    Return general information on all the libraries:",
		"    * Library name",
		"    * The engine used to run the Library",
		"    * Library description",
		"    * Functions list",
		"    * Library code (if WITHCODE is given)",
		"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
		"DELETE <LIBRARY NAME>",
		"    Delete the given library.",
		"KILL",
		"    Kill the current running function.",
		"FLUSH [ASYNC|SYNC]",
		"    Delete all the libraries.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the libraries.",
		"    * SYNC: Synchronously flush the libraries.",
	},
}

// runFunctionFlush validates the mode as Redis's functionFlushCommand does;
// with no libraries there is nothing to delete, so nothing changes and
// nothing is logged.
func runFunctionFlush(ctx *Context) {
	args := ctx.Args
	switch {
	case len(args) > 3:
		ctx.Error(msgSubcommandSyntax(args[1], string(args[0])))
	case len(args) == 2, is(args[2], "sync"), is(args[2], "async"):
		OK(ctx.Out)
	default:
		ctx.Error(msgFunctionFlushMode)
	}
}

// runFunctionList validates the options as Redis's functionListCommand does
// (each at most once; LIBRARYNAME needs its pattern) and lists no library.
func runFunctionList(ctx *Context) {
	withCode, named := false, false
	args := ctx.Args
	for i := 2; i < len(args); i++ {
		switch {
		case !withCode && is(args[i], "withcode"):
			withCode = true
		case !named && is(args[i], "libraryname"):
			if i >= len(args)-1 {
				ctx.Error(msgLibraryNameNotGiven)
				return
			}
			named = true
			i++
		default:
			ctx.Error(msgUnknownArgument(args[i]))
			return
		}
	}
	ctx.Out.Array(0)
}
