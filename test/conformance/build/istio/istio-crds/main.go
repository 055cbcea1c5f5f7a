// Command istio-crds prints the CustomResourceDefinitions of the pinned Istio version (the base chart's
// crd-all.gen.yaml, which istio.io/istio/manifests embeds), for the conformance harness to apply.
package main

import (
	"io/fs"
	"os"

	"istio.io/istio/manifests"
)

func main() {
	data, err := fs.ReadFile(manifests.BuiltinOrDir(""), "charts/base/files/crd-all.gen.yaml")
	if err != nil {
		os.Stderr.WriteString("istio-crds: " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Stdout.Write(data)
}
