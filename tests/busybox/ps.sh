# ps: a background job is listed while it runs, gone once reaped.
# keel-skip: busybox ps reads /proc/PID/stat and cmdline, which the s5-proc work brings (not merged on this branch)
sleep 30 &
p=$!
ps -o pid,comm | awk -v p=$p '$1 == p { print "ps shows", $2 }'
ps -o pid,ppid,comm | awk -v p=$p -v me=$$ '$1 == p && $2 == me { print "parent is the shell" }'
ps | awk 'NR == 1 { print $1 }'
kill $p
wait $p >/dev/null 2>&1
ps -o pid,comm | awk -v p=$p '$1 == p { print "still there" }'
echo done
