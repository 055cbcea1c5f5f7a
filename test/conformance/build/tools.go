//go:build tools

// Package build only pins the binaries the conformance tier runs; `go build` names them directly.
package build

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
)
