package server

import (
	"net"
)

// Protected mode, as Redis's clientAcceptHandler applies it: while
// protected-mode is yes and the default user needs no password, a client
// that does not come through the loopback interface gets msgProtectedMode
// and is disconnected. The text is redis-server 7.0.15's, typo included.
const msgProtectedMode = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. " +
	"In this mode connections are only accepted from the loopback interface. " +
	"If you want to connect from external computers to Redis you may adopt one of the following solutions: " +
	"1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. " +
	"2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. " +
	"3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
	"4) Setup a an authentication password for the default user. " +
	"NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"

// protectedModeRefuses reports whether a connection between local and
// remote must be refused. A connection is local when its peer is a loopback
// address (Redis's connIsLocal), or when it arrived on a loopback address,
// which only the same host can reach; a server bound to 127.0.0.1 alone
// therefore never refuses anyone.
func protectedModeRefuses(local, remote net.Addr, protectedMode, defaultNoPass bool) bool {
	if !protectedMode || !defaultNoPass {
		return false
	}
	return !isLoopback(remote) && !isLoopback(local)
}

func isLoopback(a net.Addr) bool {
	if a == nil {
		return false
	}
	var ip net.IP
	switch a := a.(type) {
	case *net.TCPAddr:
		ip = a.IP
	case *net.UnixAddr:
		return true
	default:
		host, _, err := net.SplitHostPort(a.String())
		if err != nil {
			return false
		}
		ip = net.ParseIP(host)
	}
	return ip != nil && ip.IsLoopback()
}
