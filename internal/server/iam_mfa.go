package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/awsquery"
)

// registerMFA registers the virtual MFA device operations.
func (s *Server) registerMFA() {
	svc := s.opts.IAM
	r := s.iam
	awsquery.Handle(r, iamapi.CreateVirtualMFADevice, func(ctx context.Context, in *iamapi.CreateVirtualMFADeviceInput) (*iamapi.CreateVirtualMFADeviceOutput, error) {
		d, err := svc.CreateVirtualMFADevice(ctx, in.Path, in.VirtualMFADeviceName, fromAPITags(in.Tags))
		if err != nil {
			return nil, err
		}
		return &iamapi.CreateVirtualMFADeviceOutput{VirtualMFADevice: &iamapi.VirtualMFADevice{
			SerialNumber: d.SerialNumber, Base32StringSeed: []byte(d.Base32StringSeed), QRCodePNG: d.QRCodePNG, Tags: toAPITags(d.Tags),
		}}, nil
	})
	awsquery.Handle(r, iamapi.EnableMFADevice, func(ctx context.Context, in *iamapi.EnableMFADeviceInput) (*iamapi.EnableMFADeviceOutput, error) {
		return nil, svc.EnableMFADevice(ctx, in.UserName, in.SerialNumber, in.AuthenticationCode1, in.AuthenticationCode2)
	})
	awsquery.Handle(r, iamapi.ResyncMFADevice, func(ctx context.Context, in *iamapi.ResyncMFADeviceInput) (*iamapi.ResyncMFADeviceOutput, error) {
		return nil, svc.ResyncMFADevice(ctx, in.UserName, in.SerialNumber, in.AuthenticationCode1, in.AuthenticationCode2)
	})
	awsquery.Handle(r, iamapi.DeactivateMFADevice, func(ctx context.Context, in *iamapi.DeactivateMFADeviceInput) (*iamapi.DeactivateMFADeviceOutput, error) {
		return nil, svc.DeactivateMFADevice(ctx, in.UserName, in.SerialNumber)
	})
	awsquery.Handle(r, iamapi.DeleteVirtualMFADevice, func(ctx context.Context, in *iamapi.DeleteVirtualMFADeviceInput) (*iamapi.DeleteVirtualMFADeviceOutput, error) {
		return nil, svc.DeleteVirtualMFADevice(ctx, in.SerialNumber)
	})
	awsquery.Handle(r, iamapi.ListMFADevices, func(ctx context.Context, in *iamapi.ListMFADevicesInput) (*iamapi.ListMFADevicesOutput, error) {
		p, err := svc.ListMFADevices(ctx, in.UserName, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		out := &iamapi.ListMFADevicesOutput{MFADevices: make([]iamapi.MFADevice, 0, len(p.Items)), IsTruncated: p.IsTruncated, Marker: p.Marker}
		for _, d := range p.Items {
			out.MFADevices = append(out.MFADevices, iamapi.MFADevice{UserName: d.UserName, SerialNumber: d.SerialNumber, EnableDate: d.EnableDate})
		}
		return out, nil
	})
	awsquery.Handle(r, iamapi.ListVirtualMFADevices, func(ctx context.Context, in *iamapi.ListVirtualMFADevicesInput) (*iamapi.ListVirtualMFADevicesOutput, error) {
		p, err := svc.ListVirtualMFADevices(ctx, in.AssignmentStatus, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		out := &iamapi.ListVirtualMFADevicesOutput{VirtualMFADevices: make([]iamapi.VirtualMFADevice, 0, len(p.Items)), IsTruncated: p.IsTruncated, Marker: p.Marker}
		for _, d := range p.Items {
			v := iamapi.VirtualMFADevice{SerialNumber: d.SerialNumber, EnableDate: d.EnableDate, Tags: toAPITags(d.Tags)}
			if d.User != nil {
				v.User = toAPIUser(d.User)
			}
			out.VirtualMFADevices = append(out.VirtualMFADevices, v)
		}
		return out, nil
	})
	awsquery.Handle(r, iamapi.TagMFADevice, func(ctx context.Context, in *iamapi.TagMFADeviceInput) (*iamapi.TagMFADeviceOutput, error) {
		return nil, svc.TagMFADevice(ctx, in.SerialNumber, fromAPITags(in.Tags))
	})
	awsquery.Handle(r, iamapi.UntagMFADevice, func(ctx context.Context, in *iamapi.UntagMFADeviceInput) (*iamapi.UntagMFADeviceOutput, error) {
		return nil, svc.UntagMFADevice(ctx, in.SerialNumber, in.TagKeys)
	})
	awsquery.Handle(r, iamapi.ListMFADeviceTags, func(ctx context.Context, in *iamapi.ListMFADeviceTagsInput) (*iamapi.ListMFADeviceTagsOutput, error) {
		tags, err := svc.ListMFADeviceTags(ctx, in.SerialNumber)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListMFADeviceTagsOutput{Tags: toAPITagsNonNil(tags)}, nil
	})
}
