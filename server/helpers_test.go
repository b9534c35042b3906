package server_test

import "github.com/spool-dev/spool/server"

func servertestConfig() server.Config { return server.DefaultConfig() }
