package iamsvc

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"rsc.io/qr"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/store"
	"github.com/iamd/iamd/internal/totp"
)

// MFA entity kinds.
const (
	// KindMFADevice is a virtual MFA device (top level, Name = path+name,
	// so names are unique per path as in AWS).
	KindMFADevice = "mfa"
	// KindUserMFA links an enabled device to its user (Parent = user
	// name, Name = serial number); DeleteUser is refused while one exists.
	KindUserMFA = "user-mfa"
)

// MFA limits and windows.
const (
	// maxMFADevicesPerUser is AWS's quota of MFA devices per user.
	maxMFADevicesPerUser = 8
	// syncWindow is how many 30-second steps around now EnableMFADevice
	// and ResyncMFADevice search for two consecutive codes.
	syncWindow = 10
	// authWindow is the tolerance (steps either side) for a code presented
	// to STS.
	authWindow = 1
)

// Sentinel errors of VerifyMFA; STS turns them into AWS's messages.
var (
	// ErrMFANotAssociated: no enabled device with that serial number for
	// the user.
	ErrMFANotAssociated = errors.New("iamsvc: MFA device not associated with user")
	// ErrMFAInvalidCode: the code does not match (or was already used).
	ErrMFAInvalidCode = errors.New("iamsvc: invalid MFA code")
)

// MFADevice is a virtual MFA device. The seed is stored sealed with the
// installation's MFA seed key (AES-256-GCM, the serial number as
// additional data) and is returned only once, by CreateVirtualMFADevice.
type MFADevice struct {
	SerialNumber string    `json:"serial"`
	Path         string    `json:"path"`
	Name         string    `json:"name"`
	SealedSeed   []byte    `json:"seed"`
	CreateDate   time.Time `json:"created"`
	// UserID is the AIDA id of the user the device is enabled for ("" when
	// unassigned); user names can change, ids cannot.
	UserID     string    `json:"userId,omitempty"`
	EnableDate time.Time `json:"enabled,omitzero"`
	// LastStep is the last TOTP step accepted, so no code is accepted
	// twice.
	LastStep int64 `json:"lastStep,omitempty"`
	Tags     []Tag `json:"tags,omitempty"`
}

// userMFA is the KindUserMFA record.
type userMFA struct {
	SerialNumber string    `json:"serial"`
	EnableDate   time.Time `json:"enabled"`
}

// NewVirtualMFADevice is a created device with its secrets, returned once.
type NewVirtualMFADevice struct {
	MFADevice
	// Base32StringSeed is the seed in Base32 (64 characters).
	Base32StringSeed string
	// QRCodePNG encodes otpauth://totp/NAME@ACCOUNT?secret=SEED.
	QRCodePNG []byte
}

// VirtualMFADeviceView is a device as ListVirtualMFADevices shows it.
type VirtualMFADeviceView struct {
	SerialNumber string
	EnableDate   time.Time
	User         *User
	Tags         []Tag
}

// MFADeviceAssignment is an entry of ListMFADevices.
type MFADeviceAssignment struct {
	UserName     string
	SerialNumber string
	EnableDate   time.Time
}

func mfaKey(account, pathName string) store.Key {
	return store.Key{Account: account, Kind: KindMFADevice, Name: pathName}
}

func mfaSerial(account, path, name string) string {
	return "arn:aws:iam::" + account + ":mfa" + normPath(path) + name
}

// parseMFASerial splits arn:aws:iam::ACCT:mfa/path/name into the account
// and the store name ("/path/name").
func parseMFASerial(serial string) (account, pathName string, ok bool) {
	const prefix = "arn:aws:iam::"
	if !strings.HasPrefix(serial, prefix) || len(serial) < len(prefix)+13 || serial[len(prefix)+12] != ':' {
		return "", "", false
	}
	account = serial[len(prefix) : len(prefix)+12]
	rest := serial[len(prefix)+13:]
	if !strings.HasPrefix(rest, "mfa/") || len(rest) == len("mfa/") || strings.HasSuffix(rest, "/") {
		return "", "", false
	}
	return account, rest[len("mfa"):], true
}

func noSuchDevice(serial string) error {
	return apierr.NoSuchEntity("VirtualMFADevice with serial number %s doesn't exist.", serial)
}

func invalidCode() error {
	return apierr.New("InvalidAuthenticationCode", "Authentication code for device is not valid.")
}

// getDevice reads a device by serial number in account.
func getDevice(ctx context.Context, r store.Reader, account, serial string) (*MFADevice, store.Entity, error) {
	acct, name, ok := parseMFASerial(serial)
	if !ok || acct != account {
		return nil, store.Entity{}, noSuchDevice(serial)
	}
	e, err := r.Get(ctx, mfaKey(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, e, noSuchDevice(serial)
	}
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	d, err := decode[MFADevice](e)
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	if d.SerialNumber != serial {
		// Names are matched case-insensitively by the store; serial numbers
		// are exact.
		return nil, e, noSuchDevice(serial)
	}
	return d, e, nil
}

// mfaSeedKey names the installation's key that seals MFA seeds at rest.
var mfaSeedKey = store.Key{Kind: "keyring", Name: "mfa-seed"}

type seedKeyRecord struct {
	Key []byte `json:"key"`
}

// seedAEAD returns the AEAD that seals seeds, creating the key on first
// use.
func (s *Service) seedAEAD(ctx context.Context) (cipher.AEAD, error) {
	var rec seedKeyRecord
	e, err := s.store.Get(ctx, mfaSeedKey)
	if errors.Is(err, store.ErrNotFound) {
		rec.Key = make([]byte, 32)
		if _, err := rand.Read(rec.Key); err != nil {
			return nil, err
		}
		b, _ := json.Marshal(&rec)
		err = s.store.Update(ctx, func(tx store.Tx) error {
			return tx.Create(ctx, &store.Entity{Key: mfaSeedKey, Data: b})
		})
		if errors.Is(err, store.ErrExists) {
			return s.seedAEAD(ctx)
		}
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	} else if err := json.Unmarshal(e.Data, &rec); err != nil || len(rec.Key) != 32 {
		return nil, fmt.Errorf("iamsvc: bad MFA seed key record: %v", err)
	}
	block, err := aes.NewCipher(rec.Key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func sealSeed(a cipher.AEAD, serial string, seed []byte) ([]byte, error) {
	nonce := make([]byte, a.NonceSize(), a.NonceSize()+len(seed)+a.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return a.Seal(nonce, nonce, seed, []byte(serial)), nil
}

func openSeed(a cipher.AEAD, serial string, sealed []byte) ([]byte, error) {
	if len(sealed) < a.NonceSize() {
		return nil, errors.New("iamsvc: sealed seed too short")
	}
	return a.Open(nil, sealed[:a.NonceSize()], sealed[a.NonceSize():], []byte(serial))
}

// CreateVirtualMFADevice creates an unassigned virtual MFA device and
// returns its seed and QR code (the only time they are shown).
func (s *Service) CreateVirtualMFADevice(ctx context.Context, path, name string, tags []Tag) (*NewVirtualMFADevice, error) {
	c0, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	path = normPath(path)
	serial := mfaSerial(c0.Account, path, name)
	c, err := s.authorize(ctx, "iam:CreateVirtualMFADevice", serial, requestTagKeys(tags))
	if err != nil {
		return nil, err
	}
	merged, err := s.mergeTags(nil, tags)
	if err != nil {
		return nil, err
	}
	seed, err := totp.NewSeed()
	if err != nil {
		return nil, apierr.Internal(err)
	}
	a, err := s.seedAEAD(ctx)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	sealed, err := sealSeed(a, serial, seed)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	png, err := qrPNG(totp.URI(name, c.Account, seed))
	if err != nil {
		return nil, apierr.Internal(err)
	}
	d := MFADevice{SerialNumber: serial, Path: path, Name: name, SealedSeed: sealed, CreateDate: s.now().UTC().Truncate(time.Second), Tags: merged}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		err := tx.Create(ctx, &store.Entity{Key: mfaKey(c.Account, path+name), Path: path, Data: encode(&d)})
		if errors.Is(err, store.ErrExists) {
			return apierr.EntityAlreadyExists("MFADevice entity at the same path and name already exists.")
		}
		return err
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return &NewVirtualMFADevice{MFADevice: d, Base32StringSeed: totp.Encoding.EncodeToString(seed), QRCodePNG: png}, nil
}

func qrPNG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, err
	}
	code.Scale = 4
	return code.PNG(), nil
}

// mfaUser resolves the user an MFA call is about (named, or the calling
// user when the name is omitted) and authorizes action on it.
func (s *Service) mfaUser(ctx context.Context, action, name string) (*identity.Caller, *User, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, nil, err
	}
	if name == "" {
		if c.Type != identity.User {
			return nil, nil, apierr.ValidationError("Must specify userName when calling with non-User credentials")
		}
		name = c.Name
	}
	u, _, err := getUser(ctx, s.store, c.Account, name)
	if err != nil {
		if _, aerr := s.authorize(ctx, action, arnFor(c.Account, "user", "/", name), nil); aerr != nil {
			return nil, nil, aerr
		}
		return nil, nil, err
	}
	if _, err := s.authorize(ctx, action, u.ARN, resourceTagKeys(u.Tags)); err != nil {
		return nil, nil, err
	}
	return c, u, nil
}

// findConsecutive returns the later of two consecutive steps whose codes
// are code1 and code2, searching syncWindow steps around now and only
// steps after notAfter.
func findConsecutive(seed []byte, code1, code2 string, now time.Time, notAfter int64) (int64, bool) {
	if totp.ParseCode(code1) != nil || totp.ParseCode(code2) != nil {
		return 0, false
	}
	counter := totp.Counter(now)
	first, ok := totp.Match(seed, code1, counter, syncWindow, notAfter)
	if !ok {
		return 0, false
	}
	second, ok := totp.Match(seed, code2, first+1, 0, first)
	if !ok {
		return 0, false
	}
	return second, true
}

// EnableMFADevice assigns a virtual MFA device to a user after checking two
// consecutive codes from it.
func (s *Service) EnableMFADevice(ctx context.Context, userName, serial, code1, code2 string) error {
	c, u, err := s.mfaUser(ctx, "iam:EnableMFADevice", userName)
	if err != nil {
		return err
	}
	a, err := s.seedAEAD(ctx)
	if err != nil {
		return apierr.Internal(err)
	}
	now := s.now().UTC()
	err = s.store.Update(ctx, func(tx store.Tx) error {
		d, e, err := getDevice(ctx, tx, c.Account, serial)
		if err != nil {
			return err
		}
		if d.UserID != "" {
			return apierr.EntityAlreadyExists("MFA Device is already in use.")
		}
		n, err := tx.Count(ctx, store.ListOptions{Account: c.Account, Kind: KindUserMFA, Parent: u.UserName})
		if err != nil {
			return err
		}
		if n >= maxMFADevicesPerUser {
			return apierr.LimitExceeded("Cannot exceed quota for MFADevicesPerUser: %d", maxMFADevicesPerUser)
		}
		seed, err := openSeed(a, serial, d.SealedSeed)
		if err != nil {
			return err
		}
		step, ok := findConsecutive(seed, code1, code2, now, d.LastStep)
		if !ok {
			return invalidCode()
		}
		d.UserID, d.EnableDate, d.LastStep = u.UserID, now.Truncate(time.Second), step
		e.Data = encode(d)
		if err := tx.Put(ctx, &e); err != nil {
			return err
		}
		link := userMFA{SerialNumber: serial, EnableDate: d.EnableDate}
		return tx.Create(ctx, &store.Entity{Key: store.Key{Account: c.Account, Kind: KindUserMFA, Parent: u.UserName, Name: serial}, Data: encode(&link)})
	})
	return storeErr(err)
}

// ResyncMFADevice resynchronizes an enabled device with two consecutive
// codes.
func (s *Service) ResyncMFADevice(ctx context.Context, userName, serial, code1, code2 string) error {
	c, u, err := s.mfaUser(ctx, "iam:ResyncMFADevice", userName)
	if err != nil {
		return err
	}
	a, err := s.seedAEAD(ctx)
	if err != nil {
		return apierr.Internal(err)
	}
	now := s.now().UTC()
	err = s.store.Update(ctx, func(tx store.Tx) error {
		d, e, err := getDevice(ctx, tx, c.Account, serial)
		if err != nil || d.UserID != u.UserID {
			return apierr.NoSuchEntity("MFA Device with serial number %s does not exist.", serial)
		}
		seed, err := openSeed(a, serial, d.SealedSeed)
		if err != nil {
			return err
		}
		step, ok := findConsecutive(seed, code1, code2, now, d.LastStep)
		if !ok {
			return invalidCode()
		}
		d.LastStep = step
		e.Data = encode(d)
		return tx.Put(ctx, &e)
	})
	return storeErr(err)
}

// DeactivateMFADevice unassigns a device from its user (the device itself
// remains until DeleteVirtualMFADevice).
func (s *Service) DeactivateMFADevice(ctx context.Context, userName, serial string) error {
	c, u, err := s.mfaUser(ctx, "iam:DeactivateMFADevice", userName)
	if err != nil {
		return err
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		lk := store.Key{Account: c.Account, Kind: KindUserMFA, Parent: u.UserName, Name: serial}
		if _, err := tx.Get(ctx, lk); errors.Is(err, store.ErrNotFound) {
			return apierr.NoSuchEntity("MFA Device with serial number %s does not exist.", serial)
		} else if err != nil {
			return err
		}
		if err := tx.Delete(ctx, lk, 0); err != nil {
			return err
		}
		d, e, err := getDevice(ctx, tx, c.Account, serial)
		if err != nil {
			return nil
		}
		d.UserID, d.EnableDate = "", time.Time{}
		e.Data = encode(d)
		return tx.Put(ctx, &e)
	})
	return storeErr(err)
}

// DeleteVirtualMFADevice deletes an unassigned device.
func (s *Service) DeleteVirtualMFADevice(ctx context.Context, serial string) error {
	c, err := s.authorize(ctx, "iam:DeleteVirtualMFADevice", serial, nil)
	if err != nil {
		return err
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		d, e, err := getDevice(ctx, tx, c.Account, serial)
		if err != nil {
			return err
		}
		if d.UserID != "" {
			return apierr.New("DeleteConflict", "MFA Device is still in use.")
		}
		return tx.Delete(ctx, e.Key, e.Version)
	})
	return storeErr(err)
}

// ListMFADevices lists the devices enabled for a user.
func (s *Service) ListMFADevices(ctx context.Context, userName, marker string, maxItems *int32) (Page[MFADeviceAssignment], error) {
	c, u, err := s.mfaUser(ctx, "iam:ListMFADevices", userName)
	if err != nil {
		return Page[MFADeviceAssignment]{}, err
	}
	p, err := listPage[userMFA](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindUserMFA, Parent: u.UserName, Marker: marker, Limit: pageLimit(maxItems)})
	if err != nil {
		return Page[MFADeviceAssignment]{}, err
	}
	out := Page[MFADeviceAssignment]{Marker: p.Marker, IsTruncated: p.IsTruncated, Items: make([]MFADeviceAssignment, 0, len(p.Items))}
	for _, l := range p.Items {
		out.Items = append(out.Items, MFADeviceAssignment{UserName: u.UserName, SerialNumber: l.SerialNumber, EnableDate: l.EnableDate})
	}
	return out, nil
}

// ListVirtualMFADevices lists the account's virtual devices, filtered by
// assignment status ("Assigned", "Unassigned" or "Any"/"").
func (s *Service) ListVirtualMFADevices(ctx context.Context, status, marker string, maxItems *int32) (Page[VirtualMFADeviceView], error) {
	c, err := s.authorize(ctx, "iam:ListVirtualMFADevices", "*", nil)
	if err != nil {
		return Page[VirtualMFADeviceView]{}, err
	}
	all, err := listAll[MFADevice](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindMFADevice})
	if err != nil {
		return Page[VirtualMFADeviceView]{}, err
	}
	kept := all[:0]
	for _, d := range all {
		assigned := d.UserID != ""
		if (status == "Assigned" && !assigned) || (status == "Unassigned" && assigned) {
			continue
		}
		kept = append(kept, d)
	}
	p, err := offsetPage(kept, func(d MFADevice) string { return strings.ToLower(d.Path + d.Name) }, marker, maxItems)
	if err != nil {
		return Page[VirtualMFADeviceView]{}, err
	}
	out := Page[VirtualMFADeviceView]{Marker: p.Marker, IsTruncated: p.IsTruncated, Items: make([]VirtualMFADeviceView, 0, len(p.Items))}
	for _, d := range p.Items {
		v := VirtualMFADeviceView{SerialNumber: d.SerialNumber, EnableDate: d.EnableDate, Tags: d.Tags}
		if d.UserID != "" {
			if e, err := s.store.GetByID(ctx, d.UserID); err == nil {
				if u, err := decode[User](e); err == nil {
					v.User = u
				}
			}
		}
		out.Items = append(out.Items, v)
	}
	return out, nil
}

// updateDevice authorizes action on a device and changes it.
func (s *Service) updateDevice(ctx context.Context, action, serial string, keys map[string][]string, change func(d *MFADevice) error) (*MFADevice, error) {
	c0, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	d, _, err := getDevice(ctx, s.store, c0.Account, serial)
	if err != nil {
		if _, aerr := s.authorize(ctx, action, serial, keys); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	if _, err := s.authorize(ctx, action, serial, mergeKeys(keys, resourceTagKeys(d.Tags))); err != nil {
		return nil, err
	}
	if change == nil {
		return d, nil
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		d, e, err := getDevice(ctx, tx, c0.Account, serial)
		if err != nil {
			return err
		}
		if err := change(d); err != nil {
			return err
		}
		e.Data = encode(d)
		return tx.Put(ctx, &e)
	})
	return d, storeErr(err)
}

// TagMFADevice adds or replaces tags on a virtual MFA device.
func (s *Service) TagMFADevice(ctx context.Context, serial string, tags []Tag) error {
	_, err := s.updateDevice(ctx, "iam:TagMFADevice", serial, requestTagKeys(tags), func(d *MFADevice) error {
		merged, err := s.mergeTags(d.Tags, tags)
		d.Tags = merged
		return err
	})
	return err
}

// UntagMFADevice removes tags from a virtual MFA device.
func (s *Service) UntagMFADevice(ctx context.Context, serial string, keys []string) error {
	_, err := s.updateDevice(ctx, "iam:UntagMFADevice", serial, map[string][]string{"aws:TagKeys": keys}, func(d *MFADevice) error {
		d.Tags = removeTags(d.Tags, keys)
		return nil
	})
	return err
}

// ListMFADeviceTags returns a virtual MFA device's tags.
func (s *Service) ListMFADeviceTags(ctx context.Context, serial string) ([]Tag, error) {
	d, err := s.updateDevice(ctx, "iam:ListMFADeviceTags", serial, nil, nil)
	if err != nil {
		return nil, err
	}
	return d.Tags, nil
}

// VerifyMFA checks a code from the device serial enabled for the user
// userName in account, for STS (GetSessionToken, AssumeRole). It needs no
// authorization of its own. The code must be for the current step or one
// step either side and newer than the last code accepted for the device,
// so a code is accepted once; recording that is a compare-and-swap in the
// store, so it holds across nodes.
func (s *Service) VerifyMFA(ctx context.Context, account, userName, serial, code string) error {
	if _, err := s.store.Get(ctx, store.Key{Account: account, Kind: KindUserMFA, Parent: userName, Name: serial}); errors.Is(err, store.ErrNotFound) {
		return ErrMFANotAssociated
	} else if err != nil {
		return err
	}
	a, err := s.seedAEAD(ctx)
	if err != nil {
		return err
	}
	counter := totp.Counter(s.now())
	return s.store.Update(ctx, func(tx store.Tx) error {
		d, e, err := getDevice(ctx, tx, account, serial)
		if err != nil {
			if isNoSuchEntity(err) {
				return ErrMFANotAssociated
			}
			return err
		}
		seed, err := openSeed(a, serial, d.SealedSeed)
		if err != nil {
			return err
		}
		step, ok := totp.Match(seed, code, counter, authWindow, d.LastStep)
		if !ok {
			return ErrMFAInvalidCode
		}
		d.LastStep = step
		e.Data = encode(d)
		return tx.Put(ctx, &e)
	})
}
