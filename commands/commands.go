package commands

// newCommandTable lists every command Spool serves. Each command's row (its
// Command value) sits in the file that implements it.
func newCommandTable() *Table {
	return newTable(
		// connection
		pingCommand, echoCommand, selectCommand, helloCommand, authCommand,
		quitCommand, resetCommand,
		// string
		getCommand, setCommand, setnxCommand, setexCommand, psetexCommand,
		getdelCommand, getexCommand, getsetCommand, mgetCommand, msetCommand,
		msetnxCommand, incrCommand, decrCommand, incrbyCommand, decrbyCommand,
		incrbyfloatCommand, appendCommand, strlenCommand, getrangeCommand,
		substrCommand, setrangeCommand,
		// server and connection introspection
		commandCommand, clientCommand, configCommand, infoCommand, debugCommand,
		slowlogCommand,
		// stream (without consumer groups)
		xaddCommand, xlenCommand, xrangeCommand, xrevrangeCommand, xdelCommand,
		xtrimCommand, xsetidCommand, xinfoCommand, xreadCommand,
		// generic keyspace
		delCommand, unlinkCommand, existsCommand, typeCommand, keysCommand,
		scanCommand, randomkeyCommand, renameCommand, renamenxCommand,
		expireCommand, pexpireCommand, expireatCommand, pexpireatCommand,
		ttlCommand, pttlCommand, expiretimeCommand, pexpiretimeCommand,
		persistCommand, touchCommand, objectCommand, dbsizeCommand,
		flushdbCommand, flushallCommand, swapdbCommand, timeCommand,
		waitCommand, functionCommand,
		// persistence
		saveCommand, bgsaveCommand, bgrewriteaofCommand, lastsaveCommand,
		shutdownCommand,
		// transactions
		multiCommand, execCommand, discardCommand, watchCommand, unwatchCommand,
	)
}
