# The ingest chart of bench/RESULTS.md: requests/s (log scale) and p99 per concurrency for the
# three targets. Called by run.sh with -e "data='...'; out='...'".
set terminal pngcairo size 1100,450 font "sans,10"
set output out
set multiplot layout 1,2 title "Signed Slack events over loopback (median of the runs)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set key top left
set grid ytics
set xlabel "concurrent connections"

set title "requests per second (log scale)"
set logscale y
set yrange [10:*]
plot data using 2:xtic(1) title "okr-coach" lc rgb "#2a7ab0", \
     '' using 3 title "Bolt (Node.js)" lc rgb "#c0504d", \
     '' using 4 title "nginx, fixed 200" lc rgb "#7f7f7f"

set title "p99 latency, ms (log scale)"
set yrange [*:*]
plot data using 5:xtic(1) title "okr-coach" lc rgb "#2a7ab0", \
     '' using 6 title "Bolt (Node.js)" lc rgb "#c0504d", \
     '' using 7 title "nginx, fixed 200" lc rgb "#7f7f7f"
unset multiplot
