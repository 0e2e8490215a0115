package conformance

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

// BenchmarkHierarchyMatrix: one osimage's hierarchy view on a master with
// 2,000 osimages and 40 service nodes (1,280 nodes) costs the hierarchy
// query and ONE xdsh (plus the osimage, its lsnim -l and the nodes using
// it), and the first layout (every SN waiting) is ready before any SN has
// answered: what a screen shows at once.
//
//	go test -run XXX -bench HierarchyMatrix ./internal/conformance/
func BenchmarkHierarchyMatrix(b *testing.B) {
	w := simtest.New(b, simtest.Large(2000, 12000), simtest.ServiceNodesAtScale(40, "bench00000"))
	var mu sync.Mutex
	var ran []string
	e := *w.Exec
	e.Observe = func(r nim.Result) { mu.Lock(); ran = append(ran, r.Argv[0]); mu.Unlock() }
	c := nim.NewClient(&e)
	var firstAt, total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mu.Lock()
		ran = nil
		mu.Unlock()
		start := time.Now()
		answered := 0
		m, err := c.HierarchyMatrix(context.Background(), "bench00000",
			func(nim.Matrix) { firstAt += time.Since(start) },
			func(m nim.Matrix) { answered++ })
		total += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if len(m.Servers) != 41 || answered != 40 || m.Pending() {
			b.Fatalf("%d columns, %d answers, pending %v", len(m.Servers), answered, m.Pending())
		}
		xdsh := 0
		for _, r := range ran {
			if r == "xdsh" {
				xdsh++
			}
		}
		if xdsh != 1 || len(ran) != m.Queries {
			b.Fatalf("ran %v (%d); want one xdsh among %d", ran, len(ran), m.Queries)
		}
		if i == 0 {
			b.ReportMetric(float64(len(ran)), "commands")
			b.ReportMetric(float64(xdsh), "xdsh")
		}
	}
	b.ReportMetric(float64(firstAt.Milliseconds())/float64(b.N), "ms-to-layout")
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-total")
}
