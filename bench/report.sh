# Sourced by the bench scripts (run.sh, scale.sh, stores.sh, instructions.sh): waiting for a
# server to listen, the machine description and the replacement of a generated block in
# docs/BENCHMARKS.md.

# listening_url LOG [SECONDS] — waits up to SECONDS (default 10) until LOG says "listening on
# http://127.0.0.1:PORT" (orgd and the ceiling server both do) and prints that URL; prints LOG to
# stderr and fails when it never does.
listening_url() {
  local log=$1 url=
  for _ in $(seq $((${2:-10} * 10))); do
    grep -q "listening on" "$log" 2>/dev/null && break
    sleep 0.1
  done
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" 2>/dev/null | head -1)
  [ -n "$url" ] || { cat "$log" >&2; return 1; }
  echo "$url"
}

# machine_info DIR — cores, CPU, kernel, filesystem and the fsync rate of the disk under DIR
# (dd writing 4 KiB blocks with O_DSYNC for 2 s worth of blocks), as Markdown lines.
machine_info() {
  local dir=$1 fsync
  fsync=$(dd if=/dev/zero of="$dir/fsync-probe" bs=4k count=500 oflag=dsync 2>&1 |
    awk '/copied/ { for (i = 1; i <= NF; i++) if ($i == "s,") printf "%.0f", 500 / $(i-1) }')
  rm -f "$dir/fsync-probe"
  echo "- machine: $(nproc) cores ($(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, kernel $(uname -r)"
  echo "- disk: $(findmnt -n -o FSTYPE -T "$dir") on $(findmnt -n -o SOURCE -T "$dir"), ${fsync} synchronous 4 KiB writes/s (dd oflag=dsync)"
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ), orgd $("$orgd" --version | cut -d' ' -f2)"
}

# replace_block NAME FILE — replaces the lines between "<!-- NAME:begin -->" and
# "<!-- NAME:end -->" in docs/BENCHMARKS.md with the contents of FILE.
replace_block() {
  local name=$1 file=$2 doc=docs/BENCHMARKS.md
  grep -q "<!-- $name:begin -->" "$doc" || return 0
  awk -v name="$name" -v file="$file" '
    $0 == "<!-- " name ":begin -->" { print; while ((getline line < file) > 0) print line; skip = 1; next }
    $0 == "<!-- " name ":end -->" { skip = 0 }
    !skip { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
}

# bench_chart TABLE PNG WORKDIR — bars of req/s and p99 per scenario of a `make bench` table (the
# rows before the orgd-beside-peer summary), with gnuplot.
bench_chart() {
  local table=$1 png=$2 dir=$3
  command -v gnuplot >/dev/null || return 0
  awk '/^\| shared scenario/ { exit } { print }' "$table" |
    grep -E '^\| [^|]+ \| [0-9.]+ \| [0-9.]+ \|' | awk -F'|' '
      function ms(v) { gsub(/ /, "", v); if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; return v * 1000 }
      { gsub(/^ +| +$/, "", $2); printf "\"%s\" %s %.3f\n", $2, $3, ms($6) }' >"$dir/bench.dat"
  gnuplot <<GP
set terminal pngcairo size 1300,640 font ",9" noenhanced
set output "$png"
set multiplot layout 1,2 title "make bench: orgd, ceilings and peer on one machine, one run"
set style data histograms
set style fill solid 0.8
set bmargin 16
set xtics rotate by -50 scale 0
set logscale y
set ylabel "req/s (log)"
plot "$dir/bench.dat" using 2:xtic(1) notitle
set ylabel "p99 ms (log)"
plot "$dir/bench.dat" using 3:xtic(1) notitle
unset multiplot
GP
}
