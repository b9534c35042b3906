package commands

// newCommandTable lists every command Spool serves. Each command's row (its
// Command value) sits in the file that implements it.
func newCommandTable() *Table {
	return newTable(
		// connection
		pingCommand, echoCommand, selectCommand, helloCommand, authCommand,
		quitCommand, resetCommand,
	)
}
