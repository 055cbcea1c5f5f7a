//go:build tools

// Package istio only pins istiod; `go build istio.io/istio/pilot/cmd/pilot-discovery` names it directly.
package istio

import (
	_ "istio.io/istio/pilot/cmd/pilot-discovery"
)
