#!/usr/bin/env bash
# Renders bench.sh's results (serve-bench medians, image sizes) as an SVG bar chart on stdout:
# one pair of bars per metric, Java against Go, each pair scaled to its larger value.
# Usage: chart.sh RESULTS_DIR   (reads serve-bench.txt and sizes.txt)
set -euo pipefail
dir=$1
# The Go original's multistage image as the tutorial measures it (docker image ls).
go_image_mb=28.1

awk -v go_image_mb="$go_image_mb" '
  FILENAME ~ /serve-bench/ && $2 == "median" {
    for (i = 3; i <= NF; i++) { split($i, kv, "="); m[$1, kv[1]] = kv[2] }
  }
  FILENAME ~ /sizes/ && $2 == "name=multistage" { split($3, kv, "="); m["java", "image_mb"] = kv[2] / 1e6 }
  END {
    m["go", "image_mb"] = go_image_mb
    n = split("rps_root:Requests/s on / (higher is better)|rps_health:Requests/s on /health (higher is better)|p99_root_ms:p99 latency on /, ms|p99_health_ms:p99 latency on /health, ms|startup_ms:Start to first 200 on /health, ms|rss_idle_kb:RSS idle, kB|rss_load_kb:RSS after load, kB|image_mb:multistage image, MB (uncompressed)", metrics, "|")
    w = 760; row = 62; h = 40 + n * row
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", w, h
    printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
    printf "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">docker-gs-ping: Java (Micronaut, multistage command) vs Go (echo)</text>\n"
    printf "<rect x=\"520\" y=\"9\" width=\"12\" height=\"12\" fill=\"#e76f00\"/><text x=\"536\" y=\"20\">Java</text>\n"
    printf "<rect x=\"590\" y=\"9\" width=\"12\" height=\"12\" fill=\"#00add8\"/><text x=\"606\" y=\"20\">Go</text>\n"
    for (k = 1; k <= n; k++) {
      split(metrics[k], parts, ":"); key = parts[1]; label = parts[2]
      j = m["java", key] + 0; g = m["go", key] + 0
      top = 40 + (k - 1) * row
      printf "<text x=\"10\" y=\"%d\">%s</text>\n", top + 12, label
      max = (j > g ? j : g); if (max == 0) max = 1
      printf "<rect x=\"10\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#e76f00\"/><text x=\"%.1f\" y=\"%d\">%s</text>\n", top + 18, 600 * j / max, 16 + 600 * j / max, top + 31, j
      printf "<rect x=\"10\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#00add8\"/><text x=\"%.1f\" y=\"%d\">%s</text>\n", top + 36, 600 * g / max, 16 + 600 * g / max, top + 49, g
    }
    print "</svg>"
  }
' "$dir/serve-bench.txt" "$dir/sizes.txt"
