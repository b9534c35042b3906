package commands

import "testing"

func TestFunctionWithoutLibraries(t *testing.T) {
	env := newKeyspaceEnv(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"FUNCTION", "FLUSH"}, "+OK\r\n"},
		{[]string{"FUNCTION", "FLUSH", "async"}, "+OK\r\n"},
		{[]string{"FUNCTION", "FLUSH", "SYNC"}, "+OK\r\n"},
		{[]string{"FUNCTION", "FLUSH", "now"}, "-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n"},
		{[]string{"function", "FLUSH", "a", "b"}, "-ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.\r\n"},
		{[]string{"FUNCTION", "LIST"}, "*0\r\n"},
		{[]string{"FUNCTION", "LIST", "WITHCODE", "libraryname", "x*"}, "*0\r\n"},
		{[]string{"FUNCTION", "LIST", "LIBRARYNAME"}, "-ERR library name argument was not given\r\n"},
		{[]string{"FUNCTION", "LIST", "WITHCODE", "withcode"}, "-ERR Unknown argument withcode\r\n"},
		{[]string{"FUNCTION", "LIST", "LIBRARYNAME", "a", "LIBRARYNAME", "b"}, "-ERR Unknown argument LIBRARYNAME\r\n"},
		{[]string{"FUNCTION", "DELETE", "lib"}, "-ERR Library not found\r\n"},
		{[]string{"FUNCTION", "KILL"}, "-NOTBUSY No scripts in execution right now.\r\n"},
		{[]string{"FUNCTION", "LOAD", "#!lua name=x\nreturn 1"}, "-ERR unknown subcommand 'LOAD'. Try FUNCTION HELP.\r\n"},
		{[]string{"FUNCTION"}, "-ERR wrong number of arguments for 'function' command\r\n"},
	}
	for _, c := range cases {
		env.expect(c.want, c.args...)
	}
	if effs := env.takeEffects(); len(effs) != 0 {
		t.Errorf("FUNCTION logged %q: there is nothing to change", effs)
	}
}
