package e2e

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestCompareAssumeRoleWithMoto runs the same AssumeRole loop (Go SDK v2,
// one keep-alive client, signing every request) against the iamd binary
// and against moto's server (moto_server, the peer iamd is compared with),
// alternating batches, and logs both throughputs and their ratio for
// BENCHMARKS.md. It asserts nothing about timing and only runs with
// IAMD_BENCH_MOTO=1.
func TestCompareAssumeRoleWithMoto(t *testing.T) {
	if os.Getenv("IAMD_BENCH_MOTO") != "1" {
		t.Skip("set IAMD_BENCH_MOTO=1 to compare with moto_server")
	}
	motoBin, err := exec.LookPath("moto_server")
	if err != nil {
		t.Skip("moto_server not installed")
	}
	ctx := context.Background()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`

	// iamd: a user allowed to assume the role, as a real deployment has.
	s := startServer(t, fixedEnv())
	user := newUserWithKey(t, s, fixedRoot(), "bench")
	mustOK(t, s.awsV1(t, fixedRoot(), "iam", "put-user-policy", "--user-name", "bench", "--policy-name", "p", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`))
	mustOK(t, s.awsV1(t, fixedRoot(), "iam", "create-role", "--role-name", "bench", "--assume-role-policy-document", trust))

	// moto_server on a free port.
	addr := freeAddr(t)
	host, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(motoBin, "-H", host, "-p", port)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	motoURL := "http://" + addr
	for i := 0; ; i++ {
		if resp, err := http.Get(motoURL + "/moto-api/"); err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			t.Fatal("moto_server did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	motoCfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "secret", ""), HTTPClient: &http.Client{}}
	if _, err := iam.NewFromConfig(motoCfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(motoURL) }).CreateRole(ctx,
		&iam.CreateRoleInput{RoleName: aws.String("bench"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}

	clients := map[string]*sts.Client{
		"iamd": sts.NewFromConfig(aws.Config{Region: "us-east-1", HTTPClient: &http.Client{},
			Credentials: credentials.NewStaticCredentialsProvider(user.AccessKeyID, user.SecretAccessKey, "")},
			func(o *sts.Options) { o.BaseEndpoint = aws.String(s.url()) }),
		"moto": sts.NewFromConfig(motoCfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(motoURL) }),
	}
	in := &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/bench"), RoleSessionName: aws.String("bench")}
	elapsed := map[string]time.Duration{}
	const batches, batch = 5, 200
	for range batches {
		for _, name := range []string{"iamd", "moto"} {
			start := time.Now()
			for range batch {
				if _, err := clients[name].AssumeRole(ctx, in); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			elapsed[name] += time.Since(start)
		}
	}
	n := float64(batches * batch)
	iamdRate, motoRate := n/elapsed["iamd"].Seconds(), n/elapsed["moto"].Seconds()
	t.Logf("AssumeRole over HTTP, Go SDK v2 client: iamd %.0f/s (%.0f µs each), moto_server %.0f/s (%.0f µs each); iamd/moto throughput ratio %.1f",
		iamdRate, 1e6/iamdRate, motoRate, 1e6/motoRate, iamdRate/motoRate)
}
