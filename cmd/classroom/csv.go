package classroom

import (
	"bufio"
	"io"
	"strconv"
)

// writeCSV writes series in tidy long form, step,metric,value, one row per
// step and metric in recording order.
func writeCSV(w io.Writer, names []string, series []point) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("step,metric,value\n")
	var buf []byte
	for _, p := range series {
		for i, v := range p.Values {
			buf = strconv.AppendInt(buf[:0], int64(p.Step), 10)
			buf = append(buf, ',')
			buf = append(buf, names[i]...)
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	}
	return bw.Flush()
}
