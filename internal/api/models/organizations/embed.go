// Package organizations embeds the botocore service model of AWS
// Organizations (2016-11-28); see ../SOURCE.md.
package organizations

import _ "embed"

// Model is the botocore service-2.json of AWS Organizations.
//
//go:embed service-2.json
var Model []byte
