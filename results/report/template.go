package report

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
)

func csvAll(r io.Reader, name string) ([][]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("report: %s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("report: %s: empty file", name)
	}
	return recs, nil
}

// pageTemplate is the page: one file, its style inline, no script.
var pageTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{{.Title}} — entente {{.Kind}}</title>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #222; margin: 0 auto; max-width: 1100px; padding: 1.5em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
.kind { color: #666; margin-top: 0; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.6em 0; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.facts th { color: #555; font-weight: normal; }
.warn { background: #fff4e5; border-left: 4px solid #e69500; padding: 0.5em 0.8em; margin: 0.6em 0; }
.note { color: #555; }
figure { margin: 1em 0; flex: 1 1 460px; max-width: 540px; }
figure.wide { max-width: 100%; flex-basis: 100%; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #555; }
.figs { display: flex; flex-wrap: wrap; gap: 0 1.5em; }
ul.events li { margin: 0.15em 0; }
.scroll { overflow-x: auto; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="kind">entente {{.Kind}}: this page is written from the files beside it and loads nothing from anywhere.</p>
<h2>What was run</h2>
<table class="facts">
{{range .Facts}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>
{{end}}</table>
{{range .Warnings}}<div class="warn">Warning: {{.}}</div>
{{end}}{{range .Notes}}<p class="note">{{.}}</p>
{{end}}
{{range .Sections}}
<h2>{{.Title}}</h2>
{{if .Intro}}<p>{{.Intro}}</p>{{end}}
{{with .Table}}<div class="scroll"><table>
<tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr>
{{$num := .Num}}{{range .Rows}}<tr>{{range $i, $c := .}}<td{{if and $num (lt $i (len $num))}}{{if index $num $i}} class="num"{{end}}{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}</table></div>{{end}}
{{if .Items}}<ul class="events">
{{range .Items}}<li>{{.}}</li>
{{end}}</ul>{{end}}
{{if .Figs}}<div class="figs">
{{range .Figs}}<figure{{if .Wide}} class="wide"{{end}}>{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}</div>{{end}}
{{end}}
</body>
</html>
`))
