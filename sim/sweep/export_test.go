package sweep

// SetSyncFolder replaces the folder sync for a test and returns the
// function that puts it back.
func SetSyncFolder(f func(dir string) error) (restore func()) {
	old := syncFolder
	syncFolder = f
	return func() { syncFolder = old }
}
