# Background jobs, $!, wait, sleep, kill and trap (signals).
sleep 0.2 &
pid=$!
[ -n "$pid" ] && [ "$pid" != "$$" ] && echo "started a job"
wait $pid; echo "wait: $?"
(exit 3) &
wait $!; echo "background exit status: $?"
sleep 30 &
p=$!
# the shell may or may not say "Terminated" (when it reaps the job): hidden
kill $p; wait $p >/dev/null 2>&1; echo "killed by TERM: $?"
sleep 30 &
p=$!
kill -9 $p; wait $p >/dev/null 2>&1; echo "killed by KILL: $?"
kill -0 $$ && echo "kill -0 on the shell"
kill -9 999999 2>&1; echo "kill no such pid: $?"
(for i in 3 1 2; do (sleep 0.1; echo "job $i") & done; wait) | sort
trap 'echo trapped USR1' USR1
kill -USR1 $$
echo "after the trap"
trap - USR1
sh -c 'trap "echo child got TERM; exit 4" TERM; kill -TERM $$; echo not here'
echo "child: $?"
sh -c 'kill -INT $$; echo not here'; echo "SIGINT default: $?"
sh -c 'trap "" HUP; kill -HUP $$; echo ignored HUP'
trap 'echo exit trap ran' EXIT
echo done
