//go:build !unix

package results

// syncDirOS does nothing: systems without unix semantics (Windows) cannot
// open a folder to sync it, and make a rename durable themselves.
func syncDirOS(string) error { return nil }
