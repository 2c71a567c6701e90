package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var iamdBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "iamd-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	iamdBin = filepath.Join(dir, "iamd")
	cmd := exec.Command("go", "build", "-o", iamdBin, "github.com/iamd/iamd/cmd/iamd")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building iamd:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// creds are AWS credentials for a client.
type creds struct {
	AccountID       string `json:"AccountId"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken,omitempty"`
}

// server is a running iamd process.
type server struct {
	t       *testing.T
	dataDir string
	addr    string
	env     []string
	extra   []string
	cmd     *exec.Cmd
	logs    *syncBuffer
	root    creds
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer starts iamd with a fresh data directory. env adds variables;
// extra adds flags.
func startServer(t *testing.T, env []string, extra ...string) *server {
	t.Helper()
	s := &server{t: t, dataDir: t.TempDir(), env: env, extra: extra}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *server) start() {
	t := s.t
	t.Helper()
	s.addr = freeAddr(t)
	args := append([]string{"serve", "--addr", s.addr, "--data", s.dataDir}, s.extra...)
	s.cmd = exec.Command(iamdBin, args...)
	s.cmd.Env = append(cleanEnv(), s.env...)
	s.logs = &syncBuffer{}
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("iamd did not start: %v\nlogs:\n%s", err, s.logs.String())
		}
		if s.cmd.ProcessState != nil {
			t.Fatalf("iamd exited\nlogs:\n%s", s.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if b, err := os.ReadFile(filepath.Join(s.dataDir, "root-credentials.json")); err == nil {
		if err := json.Unmarshal(b, &s.root); err != nil {
			t.Fatal(err)
		}
	}
}

// stop ends iamd gracefully (SIGTERM).
func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	if s.t.Failed() {
		s.t.Logf("iamd logs:\n%s", s.logs.String())
	}
	s.cmd = nil
}

// kill ends iamd with SIGKILL, as a crash would.
func (s *server) kill() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}

func (s *server) restart() {
	s.stop()
	s.start()
}

func (s *server) url() string { return "http://" + s.addr }

// cleanEnv is the environment without AWS settings of the machine, so
// clients use only what a test gives them.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, "IAMD_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// clientEnv is the environment for a CLI or boto3 process using c.
func (s *server) clientEnv(c creds) []string {
	home := s.t.TempDir()
	env := append(cleanEnv(),
		"HOME="+home,
		"AWS_CONFIG_FILE="+filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"),
		"AWS_ACCESS_KEY_ID="+c.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY="+c.SecretAccessKey,
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_ENDPOINT_URL="+s.url(),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
	)
	if c.SessionToken != "" {
		env = append(env, "AWS_SESSION_TOKEN="+c.SessionToken)
	}
	return env
}

func requireClients() bool { return os.Getenv("IAMD_E2E_REQUIRE_CLIENTS") == "1" }

// needTool skips (or, in CI, fails) when a client is missing.
func needTool(t *testing.T, path string) string {
	t.Helper()
	p, err := exec.LookPath(path)
	if err != nil {
		if requireClients() {
			t.Fatalf("client %s not installed (IAMD_E2E_REQUIRE_CLIENTS=1)", path)
		}
		t.Skipf("client %s not installed", path)
	}
	return p
}

// cliResult is the outcome of one CLI invocation.
type cliResult struct {
	Stdout, Stderr string
	Code           int
}

func (r cliResult) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &m); err != nil {
		t.Fatalf("not JSON: %v\nstdout: %s\nstderr: %s", err, r.Stdout, r.Stderr)
	}
	return m
}

// awsV1 runs the default aws-cli (v1, honours AWS_ENDPOINT_URL).
func (s *server) awsV1(t *testing.T, c creds, args ...string) cliResult {
	t.Helper()
	bin := needTool(t, "aws")
	return runCmd(t, s.clientEnv(c), bin, append(args, "--output", "json")...)
}

// awsV2 runs /usr/bin/aws (aws-cli 2.9, needs --endpoint-url).
func (s *server) awsV2(t *testing.T, c creds, args ...string) cliResult {
	t.Helper()
	bin := needTool(t, "/usr/bin/aws")
	return runCmd(t, s.clientEnv(c), bin, append(args, "--endpoint-url", s.url(), "--output", "json")...)
}

// boto3 runs a Python script with boto3; the script prints JSON.
func (s *server) boto3(t *testing.T, c creds, script string) cliResult {
	t.Helper()
	py := needTool(t, "python3")
	env := append(s.clientEnv(c), "AWS_ENDPOINT_URL_IAM="+s.url(), "AWS_ENDPOINT_URL_STS="+s.url())
	return runCmd(t, env, py, "-c", script)
}

func runCmd(t *testing.T, env []string, bin string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", bin, args, err)
	}
	return cliResult{Stdout: out.String(), Stderr: errb.String(), Code: code}
}

// mustOK fails the test when the command failed.
func mustOK(t *testing.T, r cliResult) cliResult {
	t.Helper()
	if r.Code != 0 {
		t.Fatalf("command failed (%d):\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	return r
}

// mustFail fails the test unless the command failed with an error naming
// code.
func mustFail(t *testing.T, r cliResult, code string) {
	t.Helper()
	if r.Code == 0 {
		t.Fatalf("command succeeded, want %s:\n%s", code, r.Stdout)
	}
	if !strings.Contains(r.Stderr, "("+code+")") {
		t.Fatalf("want error %s, got:\n%s", code, r.Stderr)
	}
}

// rawRequest sends an HTTP request and returns status, headers and body.
func rawRequest(t *testing.T, req *http.Request) (int, http.Header, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// lines returns non-empty lines of s.
func lines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out
}
