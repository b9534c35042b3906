package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

// tlsHandshakeTimeout bounds how long a connection on the TLS port may take
// to complete its handshake before it is dropped.
const tlsHandshakeTimeout = 10 * time.Second

// newTLSConfig builds the TLS server configuration from tls-cert-file,
// tls-key-file, tls-ca-cert-file and tls-auth-clients, or nil when TLS is
// off. Like Redis it serves TLS 1.2 and 1.3.
func newTLSConfig(c SecurityConfig) (*tls.Config, error) {
	if c.TLSPort == 0 {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(c.TLSCertFile, c.TLSKeyFile)
	if err != nil {
		return nil, fmt.Errorf("server: tls-cert-file %s, tls-key-file %s: %w", c.TLSCertFile, c.TLSKeyFile, err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if c.TLSCACertFile != "" {
		pem, err := os.ReadFile(c.TLSCACertFile)
		if err != nil {
			return nil, fmt.Errorf("server: tls-ca-cert-file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("server: tls-ca-cert-file %s: no PEM certificate found", c.TLSCACertFile)
		}
		cfg.ClientCAs = pool
	}
	switch c.TLSAuthClients {
	case "no":
		cfg.ClientAuth = tls.NoClientCert
	case "optional":
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	default:
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// ServeTLS accepts TLS connections on ln (a plain listener: the server
// wraps it) until Close.
func (s *Server) ServeTLS(ln net.Listener) error {
	if s.tlsConfig == nil {
		ln.Close()
		return errors.New("server: TLS is not configured (tls-port, tls-cert-file, tls-key-file)")
	}
	return s.serve(tls.NewListener(ln, s.tlsConfig), true)
}

// admit decides whether a new connection gets a client: a TLS connection
// must complete its handshake (a plain client on the TLS port fails it and
// is dropped without a word, as Redis does), then protected mode may refuse
// it. It closes the connections it refuses.
func (s *Server) admit(nc net.Conn) bool {
	if tc, ok := nc.(*tls.Conn); ok {
		ctx, cancel := context.WithTimeout(context.Background(), tlsHandshakeTimeout)
		go func() {
			select {
			case <-s.done:
				cancel()
			case <-ctx.Done():
			}
		}()
		err := tc.HandshakeContext(ctx)
		cancel()
		if err != nil {
			s.log.Debug("TLS handshake failed", "client", nc.RemoteAddr().String(), "err", err)
			nc.Close()
			return false
		}
	}
	s.mu.Lock()
	refuse := protectedModeRefuses(nc.LocalAddr(), nc.RemoteAddr(), s.cfg.ProtectedMode, s.engine.DefaultUserNoPass())
	s.mu.Unlock()
	if refuse {
		s.rejectedConns.Add(1)
		nc.SetWriteDeadline(time.Now().Add(time.Second))
		nc.Write([]byte(msgProtectedMode))
		nc.Close()
		return false
	}
	return true
}
