package results

import (
	"bufio"
	"io"
	"sync"
)

// The write and read buffers of result files come from pools: a sweep
// writes and then verifies a few small files for each of thousands of
// points, and a fresh 64–256 KiB buffer for each was most of what a point
// allocated (1.1 MB a point, 0.57 MB of it buffers).
var (
	writerPool = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}
	copyPool   = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}
)

// getWriter returns a pooled buffered writer onto w; putWriter gives it
// back once it is flushed or abandoned.
func getWriter(w io.Writer) *bufio.Writer {
	bw := writerPool.Get().(*bufio.Writer)
	bw.Reset(w)
	return bw
}

func putWriter(bw *bufio.Writer) {
	bw.Reset(nil)
	writerPool.Put(bw)
}

// copyPooled is io.Copy through a pooled buffer (an *os.File source would
// otherwise take a fresh one for each copy: its WriteTo falls back to
// io.Copy).
func copyPooled(dst io.Writer, src io.Reader) (int64, error) {
	b := copyPool.Get().(*[]byte)
	defer copyPool.Put(b)
	return io.CopyBuffer(dst, struct{ io.Reader }{src}, *b)
}
