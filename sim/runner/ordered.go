package runner

import (
	"context"
	"errors"
	"sync"
)

// Ordered runs work(i) for i in [0, n) on workers goroutines and calls
// deliver(i, v) in index order. At most 2 × workers results are held at
// once. On cancellation or the first error it stops starting work, delivers
// what it can in order, and returns the number delivered and the error.
func Ordered[T any](ctx context.Context, n, workers int, work func(ctx context.Context, i int) (T, error), deliver func(i int, v T) error) (int, error) {
	workers = max(1, min(workers, n))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		i   int
		v   T
		err error
	}
	next := make(chan int)
	done := make(chan result, workers)
	tokens := make(chan struct{}, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				v, err := work(ctx, i)
				done <- result{i, v, err}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range n {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()
	pending := map[int]T{}
	want, delivered := 0, 0
	var firstErr error
	for r := range done {
		if r.err != nil {
			if firstErr == nil && !errors.Is(r.err, context.Canceled) {
				firstErr = r.err
				cancel()
			}
			continue
		}
		if firstErr != nil {
			continue
		}
		pending[r.i] = r.v
		for {
			v, ok := pending[want]
			if !ok {
				break
			}
			delete(pending, want)
			if err := deliver(want, v); err != nil {
				firstErr = err
				cancel()
				break
			}
			<-tokens
			want++
			delivered++
		}
	}
	if firstErr != nil {
		return delivered, firstErr
	}
	if delivered < n {
		return delivered, ctx.Err()
	}
	return delivered, nil
}
