package e2e

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// otp is the test's own RFC 6238 generator (SHA-1, 30 s, 6 digits),
// independent of the server's, with the last step it used so that no code
// is presented twice.
type otp struct {
	seed []byte
	last int64
}

func newOTP(t *testing.T, base32Seed string) *otp {
	t.Helper()
	seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(strings.TrimSpace(base32Seed), "="))
	if err != nil || len(seed) == 0 {
		t.Fatalf("bad seed %q: %v", base32Seed, err)
	}
	return &otp{seed: seed, last: time.Now().Unix()/30 - 3}
}

func (o *otp) at(step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, o.seed)
	m.Write(msg[:])
	h := m.Sum(nil)
	off := h[19] & 15
	v := (binary.BigEndian.Uint32(h[off:]) & 0x7fffffff) % 1000000
	return fmt.Sprintf("%06d", v)
}

// next returns a code for a step the server has not seen yet, within its
// one-step tolerance.
func (o *otp) next(t *testing.T) string {
	t.Helper()
	now := time.Now().Unix() / 30
	step := max(now-1, o.last+1)
	if step > now+1 {
		// Every step the server accepts has been used: wait for a new one.
		time.Sleep(time.Duration(30-time.Now().Unix()%30+1) * time.Second)
		return o.next(t)
	}
	o.last = step
	return o.at(step)
}

// pair returns two consecutive codes for EnableMFADevice.
func (o *otp) pair() (string, string) {
	now := time.Now().Unix() / 30
	o.last = now - 1
	return o.at(now - 2), o.at(now - 1)
}

// TestVirtualMFAAndSTS covers virtual MFA devices end to end and MFA in
// GetSessionToken and AssumeRole (trust policy requiring MFA), through
// aws-cli v1 and v2, boto3 and profiles with mfa_serial.
func TestVirtualMFAAndSTS(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	const acct = fixedAccount
	alice := newUserWithKey(t, s, root, "alice")
	serial := "arn:aws:iam::" + acct + ":mfa/alice"

	// aws-cli v2 writes the seed to a file, as AWS documents.
	seedFile := filepath.Join(t.TempDir(), "seed.txt")
	r := mustOK(t, s.awsV2(t, root, "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice",
		"--outfile", seedFile, "--bootstrap-method", "Base32StringSeed", "--tags", "Key=team,Value=blue"))
	if got := r.json(t)["VirtualMFADevice"].(map[string]any)["SerialNumber"]; got != serial {
		t.Fatalf("serial %v", got)
	}
	seedText, err := os.ReadFile(seedFile)
	if err != nil || len(strings.TrimSpace(string(seedText))) != 64 {
		t.Fatalf("seed file: %q %v", seedText, err)
	}
	code := newOTP(t, string(seedText))
	mustFail(t, s.awsV1(t, root, "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice",
		"--outfile", seedFile, "--bootstrap-method", "Base32StringSeed"), "EntityAlreadyExists")

	// boto3: the QR code is a PNG of the otpauth URI, returned once.
	r = mustOK(t, s.boto3(t, root, `
import boto3, json
d = boto3.client("iam").create_virtual_mfa_device(VirtualMFADeviceName="spare", Path="/team/")["VirtualMFADevice"]
print(json.dumps({"serial": d["SerialNumber"], "png": d["QRCodePNG"][:8].hex(), "seed": d["Base32StringSeed"].decode()}))`))
	if !strings.Contains(r.Stdout, `"serial": "arn:aws:iam::`+acct+`:mfa/team/spare"`) || !strings.Contains(r.Stdout, `"png": "89504e470d0a1a0a"`) {
		t.Fatalf("boto3 create: %s", r.Stdout)
	}
	spareSerial := "arn:aws:iam::" + acct + ":mfa/team/spare"
	spare := newOTP(t, r.json(t)["seed"].(string))

	// Enabling needs two consecutive valid codes.
	r = s.awsV1(t, root, "iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial,
		"--authentication-code1", "123456", "--authentication-code2", "654321")
	mustFail(t, r, "InvalidAuthenticationCode")
	c1, c2 := code.pair()
	mustFail(t, s.awsV1(t, root, "iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial,
		"--authentication-code1", c2, "--authentication-code2", c1), "InvalidAuthenticationCode")
	mustOK(t, s.awsV1(t, root, "iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial,
		"--authentication-code1", c1, "--authentication-code2", c2))

	devs := mustOK(t, s.awsV2(t, root, "iam", "list-mfa-devices", "--user-name", "alice")).json(t)["MFADevices"].([]any)
	if len(devs) != 1 || devs[0].(map[string]any)["SerialNumber"] != serial {
		t.Fatalf("list-mfa-devices: %v", devs)
	}
	assigned := mustOK(t, s.awsV1(t, root, "iam", "list-virtual-mfa-devices", "--assignment-status", "Assigned")).json(t)["VirtualMFADevices"].([]any)
	if len(assigned) != 1 || assigned[0].(map[string]any)["User"].(map[string]any)["UserName"] != "alice" {
		t.Fatalf("assigned: %v", assigned)
	}
	unassigned := mustOK(t, s.awsV1(t, root, "iam", "list-virtual-mfa-devices", "--assignment-status", "Unassigned")).json(t)["VirtualMFADevices"].([]any)
	if len(unassigned) != 1 || unassigned[0].(map[string]any)["SerialNumber"] != "arn:aws:iam::"+acct+":mfa/team/spare" {
		t.Fatalf("unassigned: %v", unassigned)
	}
	tags := mustOK(t, s.awsV1(t, root, "iam", "list-mfa-device-tags", "--serial-number", serial)).json(t)["Tags"].([]any)
	if len(tags) != 1 {
		t.Fatalf("tags: %v", tags)
	}
	r = s.awsV1(t, root, "iam", "delete-virtual-mfa-device", "--serial-number", serial)
	mustFail(t, r, "DeleteConflict")
	mustOK(t, s.awsV1(t, root, "iam", "delete-access-key", "--user-name", "alice", "--access-key-id", alice.AccessKeyID))
	r = s.awsV1(t, root, "iam", "delete-user", "--user-name", "alice")
	mustFail(t, r, "DeleteConflict")
	if !strings.Contains(r.Stderr, "Cannot delete entity, must delete MFA device first.") {
		t.Errorf("delete-user message: %s", r.Stderr)
	}
	alice = newKey(t, s, root, "alice")

	// A role whose trust policy requires MFA.
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:user/alice"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "mfa-admin", "--assume-role-policy-document", trust))
	mustOK(t, s.awsV1(t, root, "iam", "put-role-policy", "--role-name", "mfa-admin", "--policy-name", "p", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}]}`))
	roleARN := "arn:aws:iam::" + acct + ":role/mfa-admin"

	mustFail(t, s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "nomfa"), "AccessDenied")
	r = s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "bad", "--serial-number", serial, "--token-code", "000000")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "MultiFactorAuthentication failed with invalid MFA one time pass code.") {
		t.Errorf("wrong code message: %s", r.Stderr)
	}
	r = s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "bad",
		"--serial-number", "arn:aws:iam::"+acct+":mfa/team/spare", "--token-code", "000000")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.") {
		t.Errorf("unassociated message: %s", r.Stderr)
	}
	tok := code.next(t)
	r = mustOK(t, s.awsV2(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "withmfa", "--serial-number", serial, "--token-code", tok))
	sess := credsFrom(t, r)
	mustOK(t, s.awsV1(t, sess, "iam", "list-users"))
	// The same code again is refused (replay).
	r = s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "again", "--serial-number", serial, "--token-code", tok)
	mustFail(t, r, "AccessDenied")

	// GetSessionToken with MFA: its session may call IAM and assume the
	// MFA-only role without a new code.
	mustOK(t, s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "mfa-only", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`))
	mustFail(t, s.awsV1(t, alice, "sts", "get-session-token", "--serial-number", serial, "--token-code", "999999x"), "ValidationError")
	r = mustOK(t, s.awsV1(t, alice, "sts", "get-session-token", "--serial-number", serial, "--token-code", code.next(t)))
	gst := credsFrom(t, r)
	mustOK(t, s.awsV1(t, gst, "iam", "get-user", "--user-name", "alice"))
	r = mustOK(t, s.awsV1(t, gst, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "viagst"))
	mustOK(t, s.awsV1(t, credsFrom(t, r), "iam", "list-users"))
	// Without MFA the same user policy does not allow it.
	r = mustOK(t, s.awsV1(t, alice, "sts", "get-session-token"))
	mustFail(t, s.awsV1(t, credsFrom(t, r), "iam", "get-user", "--user-name", "alice"), "AccessDenied")

	// Profiles: role_arn + source_profile + mfa_serial, for bob and the
	// second device (under a path). aws-cli v1 reads the code from standard
	// input; boto3 takes it from a prompter.
	bob := newUserWithKey(t, s, root, "bob")
	c1, c2 = spare.pair()
	mustOK(t, s.awsV2(t, root, "iam", "enable-mfa-device", "--user-name", "bob", "--serial-number", spareSerial,
		"--authentication-code1", c1, "--authentication-code2", c2))
	mustOK(t, s.awsV1(t, root, "iam", "update-assume-role-policy", "--role-name", "mfa-admin", "--policy-document",
		strings.Replace(trust, `"arn:aws:iam::`+acct+`:user/alice"`, `["arn:aws:iam::`+acct+`:user/alice","arn:aws:iam::`+acct+`:user/bob"]`, 1)))
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, "credentials"), []byte("[base]\naws_access_key_id = "+bob.AccessKeyID+"\naws_secret_access_key = "+bob.SecretAccessKey+"\n"), 0o600)
	os.WriteFile(filepath.Join(home, "config"), []byte("[profile admin]\nrole_arn = "+roleARN+"\nsource_profile = base\nmfa_serial = "+spareSerial+"\nregion = us-east-1\n"), 0o600)
	env := append(cleanEnv(), "AWS_CONFIG_FILE="+filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"),
		"AWS_ENDPOINT_URL="+s.url(), "AWS_EC2_METADATA_DISABLED=true", "HOME="+home)
	out := runWithStdin(t, env, spare.next(t)+"\n", needTool(t, "aws"), "sts", "get-caller-identity", "--profile", "admin", "--output", "json")
	if !strings.Contains(out, "assumed-role/mfa-admin/") {
		t.Fatalf("aws-cli mfa profile: %s", out)
	}
	r = mustOK(t, runCmd(t, append(env, "MFA_CODE="+spare.next(t)), needTool(t, "python3"), "-c", `
import boto3, os
s = boto3.Session(profile_name="admin")
s._session.get_component("credential_provider").get_provider("assume-role")._prompter = lambda prompt: os.environ["MFA_CODE"]
print(s.client("iam").list_users()["Users"][0]["UserName"])`))
	if !strings.HasPrefix(strings.TrimSpace(r.Stdout), "alice") {
		t.Fatalf("boto3 mfa profile: %s", r.Stdout)
	}

	// Deactivate, then the device can be deleted and the user too.
	mustOK(t, s.awsV1(t, root, "iam", "deactivate-mfa-device", "--user-name", "alice", "--serial-number", serial))
	mustFail(t, s.awsV1(t, alice, "sts", "get-session-token", "--serial-number", serial, "--token-code", code.at(time.Now().Unix()/30)), "AccessDenied")
	mustOK(t, s.awsV1(t, root, "iam", "delete-virtual-mfa-device", "--serial-number", serial))
	mustFail(t, s.awsV1(t, root, "iam", "delete-virtual-mfa-device", "--serial-number", serial), "NoSuchEntity")
}

// newKey creates another access key for an existing user.
func newKey(t *testing.T, s *server, root creds, name string) creds {
	t.Helper()
	k := mustOK(t, s.awsV1(t, root, "iam", "create-access-key", "--user-name", name)).json(t)["AccessKey"].(map[string]any)
	return creds{AccessKeyID: k["AccessKeyId"].(string), SecretAccessKey: k["SecretAccessKey"].(string)}
}

// runWithStdin runs a command with input on standard input and returns its
// standard output, failing the test when it fails.
func runWithStdin(t *testing.T, env []string, input, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(input)
	// No controlling terminal: prompts read standard input.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s\n%s", bin, args, err, out.String(), errb.String())
	}
	return out.String()
}
