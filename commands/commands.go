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
		// stream consumer groups (XQ.SETTIMES is Spool's, replay only)
		xgroupCommand, xreadgroupCommand, xackCommand, xpendingCommand,
		xclaimCommand, xautoclaimCommand, xqSetTimesCommand,
		// stream additions of Redis 8.x
		xcfgsetCommand, xdelexCommand, xackdelCommand,
		xnackCommand, // Redis 8.8
		// Spool's queue semantics (XQ.DEADLETTER is replay only)
		xqPolicyCommand, xqNackCommand, xqTouchCommand, xqStatsCommand,
		xqRedriveCommand, xqDeadLetterCommand,
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
		// access control
		aclCommand,
		// pub/sub
		subscribeCommand, unsubscribeCommand, psubscribeCommand,
		punsubscribeCommand, ssubscribeCommand, sunsubscribeCommand,
		publishCommand, spublishCommand, pubsubCommand,
		// list
		lpushCommand, rpushCommand, lpushxCommand, rpushxCommand, lpopCommand,
		rpopCommand, llenCommand, lrangeCommand, lindexCommand, lsetCommand,
		linsertCommand, lremCommand, ltrimCommand, lposCommand, lmoveCommand,
		rpoplpushCommand, lmpopCommand, blpopCommand, brpopCommand,
		blmoveCommand, brpoplpushCommand, blmpopCommand,
		// hash
		hsetCommand, hsetnxCommand, hgetCommand, hmgetCommand, hmsetCommand,
		hdelCommand, hlenCommand, hexistsCommand, hgetallCommand, hkeysCommand,
		hvalsCommand, hincrbyCommand, hincrbyfloatCommand, hstrlenCommand,
		hscanCommand, hrandfieldCommand,
		// set
		saddCommand, sremCommand, sismemberCommand, smismemberCommand,
		smembersCommand, scardCommand, spopCommand, srandmemberCommand,
		smoveCommand, sinterCommand, sunionCommand, sdiffCommand,
		sinterstoreCommand, sunionstoreCommand, sdiffstoreCommand,
		sintercardCommand, sscanCommand,
		// sorted set
		zaddCommand, zincrbyCommand, zremCommand, zcardCommand, zscoreCommand,
		zmscoreCommand, zrankCommand, zrevrankCommand, zrangeCommand,
		zrevrangeCommand, zrangebyscoreCommand, zrevrangebyscoreCommand,
		zrangebylexCommand, zrevrangebylexCommand, zrangestoreCommand,
		zcountCommand, zlexcountCommand, zpopminCommand, zpopmaxCommand,
		zmpopCommand, bzpopminCommand, bzpopmaxCommand, bzmpopCommand,
		zremrangebyscoreCommand, zremrangebyrankCommand,
		zremrangebylexCommand, zscanCommand,
		// monitoring (issue 10)
		monitorCommand,
		// memory diagnostics
		memoryCommand,
	)
}
