package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server"
)

// testPKI is a CA with a server certificate for 127.0.0.1 and a client
// certificate, written as PEM files in a temporary directory.
type testPKI struct {
	caFile, certFile, keyFile, clientCert, clientKey string
	pool                                             *x509.CertPool
}

func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Spool test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	issue := func(serial int64, cn string, usage x509.ExtKeyUsage, ips []net.IP) (certPEM, keyPEM []byte) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: ips, DNSNames: []string{"localhost"},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		require.NoError(t, err)
		keyDER, err := x509.MarshalECPrivateKey(key)
		require.NoError(t, err)
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
			pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	}
	p := testPKI{
		caFile: filepath.Join(dir, "ca.crt"), certFile: filepath.Join(dir, "server.crt"), keyFile: filepath.Join(dir, "server.key"),
		clientCert: filepath.Join(dir, "client.crt"), clientKey: filepath.Join(dir, "client.key"),
		pool: x509.NewCertPool(),
	}
	p.pool.AddCert(ca)
	write := func(path string, data []byte) { require.NoError(t, os.WriteFile(path, data, 0o600)) }
	write(p.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	cert, key := issue(2, "spool", x509.ExtKeyUsageServerAuth, []net.IP{net.ParseIP("127.0.0.1")})
	write(p.certFile, cert)
	write(p.keyFile, key)
	cert, key = issue(3, "client", x509.ExtKeyUsageClientAuth, nil)
	write(p.clientCert, cert)
	write(p.clientKey, key)
	return p
}

// clientTLS is a client configuration trusting the test CA, with the
// client certificate when withCert.
func (p testPKI) clientTLS(t *testing.T, withCert bool) *tls.Config {
	cfg := &tls.Config{RootCAs: p.pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	if withCert {
		cert, err := tls.LoadX509KeyPair(p.clientCert, p.clientKey)
		require.NoError(t, err)
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg
}

// startTLS serves TLS only (port 0 turns plain TCP off) on a loopback port.
func startTLS(t *testing.T, p testPKI, authClients string) (*server.Server, string) {
	t.Helper()
	cfg := server.DefaultConfig()
	cfg.Port = 0
	cfg.TLSPort = freePort(t)
	cfg.TLSCertFile, cfg.TLSKeyFile, cfg.TLSCACertFile = p.certFile, p.keyFile, p.caFile
	cfg.TLSAuthClients = authClients
	srv := listenAndServe(t, cfg)
	addr := "127.0.0.1:" + strconv.Itoa(cfg.TLSPort)
	deadline := time.Now().Add(5 * time.Second)
	for {
		nc, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			nc.Close()
			return srv, addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("TLS listener did not come up: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestTLSGoRedis(t *testing.T) {
	p := newTestPKI(t)
	srv, addr := startTLS(t, p, "yes")
	require.Empty(t, srv.Addrs(), "port 0: no plain TCP listener")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: addr, TLSConfig: p.clientTLS(t, true)})
	defer rdb.Close()
	require.NoError(t, rdb.Set(ctx, "k", "v", 0).Err())
	require.Equal(t, "v", rdb.Get(ctx, "k").Val())

	// A plain client on the TLS port: the handshake fails, the server
	// closes the connection without a reply and goes on serving.
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	_, err = nc.Write([]byte("*1\r\n$4\r\nPING\r\n"))
	require.NoError(t, err)
	nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(nc)
	require.NotErrorIs(t, err, os.ErrDeadlineExceeded, "the server closes the connection")
	require.NotContains(t, string(got), "PONG")
	require.NoError(t, rdb.Ping(ctx).Err())

	// tls-auth-clients yes: a client without a certificate is refused.
	anon := redis.NewClient(&redis.Options{Addr: addr, TLSConfig: p.clientTLS(t, false), MaxRetries: -1})
	defer anon.Close()
	require.Error(t, anon.Ping(ctx).Err())
}

func TestTLSAuthClientsOptional(t *testing.T) {
	p := newTestPKI(t)
	_, addr := startTLS(t, p, "optional")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, withCert := range []bool{false, true} {
		rdb := redis.NewClient(&redis.Options{Addr: addr, TLSConfig: p.clientTLS(t, withCert)})
		require.NoError(t, rdb.Ping(ctx).Err(), "with certificate: %v", withCert)
		rdb.Close()
	}
}

func TestTLSRedisCli(t *testing.T) {
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Skip("redis-cli is not installed")
	}
	if out, _ := exec.Command(cli, "--help").CombinedOutput(); !strings.Contains(string(out), "--tls") {
		t.Skip("redis-cli was built without TLS")
	}
	p := newTestPKI(t)
	_, addr := startTLS(t, p, "yes")
	host, port, _ := net.SplitHostPort(addr)
	run := func(args ...string) string {
		cmd := exec.Command(cli, append([]string{"--tls", "--cacert", p.caFile, "--cert", p.clientCert, "--key", p.clientKey,
			"-h", host, "-p", port}, args...)...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		return strings.TrimSpace(string(out))
	}
	require.Equal(t, "PONG", run("PING"))
	require.Equal(t, "OK", run("SET", "k", "over tls"))
	require.Equal(t, "over tls", run("GET", "k"))
}

func TestTLSConfigErrors(t *testing.T) {
	p := newTestPKI(t)
	newServer := func(mod func(*server.Config)) error {
		cfg := server.DefaultConfig()
		cfg.Dir = t.TempDir()
		cfg.TLSPort = 1
		cfg.TLSCertFile, cfg.TLSKeyFile, cfg.TLSCACertFile = p.certFile, p.keyFile, p.caFile
		mod(&cfg)
		srv, err := server.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err == nil {
			srv.Close()
		}
		return err
	}
	require.ErrorContains(t, newServer(func(c *server.Config) { c.TLSKeyFile = "" }), "tls-port needs tls-cert-file and tls-key-file")
	require.ErrorContains(t, newServer(func(c *server.Config) { c.TLSCACertFile = "" }), "tls-ca-cert-file")
	require.NoError(t, newServer(func(c *server.Config) { c.TLSCACertFile, c.TLSAuthClients = "", "no" }))
	require.ErrorContains(t, newServer(func(c *server.Config) { c.TLSCertFile = p.caFile }), "tls-cert-file")

	_, err := server.LoadConfig([]string{"--tls-auth-clients", "maybe"})
	require.ErrorContains(t, err, "argument(s) must be one of the following: no, yes, optional")
}
