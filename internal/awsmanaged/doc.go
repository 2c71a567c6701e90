// Package awsmanaged holds the catalogue of AWS managed policies that iamd
// serves under arn:aws:iam::aws:policy/: their names, ids (ANPA...), paths,
// descriptions, default version ids, dates and default-version documents,
// as AWS publishes them (policies.json, embedded; SOURCE.md says where each
// came from).
//
// The catalogue is read-only data shared by every account; it knows nothing
// about attachments or accounts. It must not do I/O beyond reading its
// embedded file.
package awsmanaged
